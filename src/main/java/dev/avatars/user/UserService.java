package dev.avatars.user;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.avatars.avatar.AvatarService;
import dev.avatars.avatar.AvatarView;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class UserService {

	private final UserRepository users;

	private final AvatarService avatars;

	private final PasswordEncoder passwords;

	UserService(UserRepository users, AvatarService avatars, PasswordEncoder passwords) {
		this.users = users;
		this.avatars = avatars;
		this.passwords = passwords;
	}

	@Transactional
	UserResponse create(CreateUserRequest request) {
		if (this.users.existsByUsername(request.username())) {
			throw new UsernameTakenException(request.username());
		}
		User user = new User(request.username(), request.displayName().strip(), Instant.now());
		user.setPasswordHash(this.passwords.encode(request.password()));
		try {
			user = this.users.saveAndFlush(user);
		}
		catch (DataIntegrityViolationException ex) {
			// Two requests for one name at once: the unique constraint decides.
			throw new UsernameTakenException(request.username());
		}
		this.avatars.createFor(user.getId());
		return toResponse(user, this.avatars.view(user.getId()));
	}

	@Transactional(readOnly = true)
	public UserResponse get(long id) {
		User user = this.users.findById(id).orElseThrow(() -> new UserNotFoundException(id));
		return toResponse(user, this.avatars.view(id));
	}

	@Transactional(readOnly = true)
	UserPage list(String query, int page, int size) {
		PageRequest request = PageRequest.of(page, size, Sort.by("id"));
		Page<User> users = (query == null || query.isBlank()) ? this.users.findAll(request)
				: this.users.search(containing(query), request);
		Map<Long, AvatarView> views = this.avatars.views(users.map(User::getId).toList());
		List<UserResponse> items = users.stream()
			.map((user) -> toResponse(user, views.getOrDefault(user.getId(), AvatarService.none(user.getId()))))
			.toList();
		return new UserPage(items, page, size, users.getTotalElements());
	}

	/** {@code actor} is the signed-in account: changing one's own password takes the current one. */
	@Transactional
	UserResponse update(long id, UpdateUserRequest request, Account actor) {
		User user = this.users.findById(id).orElseThrow(() -> new UserNotFoundException(id));
		if (request.displayName() != null) {
			user.setDisplayName(request.displayName().strip());
		}
		if (request.password() != null) {
			PasswordRules.problem(user.getUsername(), request.password()).ifPresent((problem) -> {
				throw new InvalidFieldException("password", problem);
			});
			boolean ownAccount = actor != null && actor.id() == id;
			if (ownAccount && (request.currentPassword() == null || user.getPasswordHash() == null
					|| !this.passwords.matches(request.currentPassword(), user.getPasswordHash()))) {
				throw new InvalidFieldException("currentPassword", "is not your current password");
			}
			user.setPasswordHash(this.passwords.encode(request.password()));
		}
		return toResponse(user, this.avatars.view(id));
	}

	@Transactional
	void delete(long id) {
		User user = this.users.findById(id).orElseThrow(() -> new UserNotFoundException(id));
		this.avatars.deleteFilesOnCommit(id);
		this.users.delete(user);
	}

	private static String containing(String query) {
		String escaped = query.strip().toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\")
			.replace("%", "\\%").replace("_", "\\_");
		return "%" + escaped + "%";
	}

	private static UserResponse toResponse(User user, AvatarView avatar) {
		return new UserResponse(user.getId(), user.getUsername(), user.getDisplayName(), avatar.thumbnailUrl());
	}

}
