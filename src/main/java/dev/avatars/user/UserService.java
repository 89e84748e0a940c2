package dev.avatars.user;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
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

	private final ProfilePictures pictures;

	private final PasswordEncoder passwords;

	private final ApplicationEventPublisher events;

	UserService(UserRepository users, ProfilePictures pictures, PasswordEncoder passwords,
			ApplicationEventPublisher events) {
		this.users = users;
		this.pictures = pictures;
		this.passwords = passwords;
		this.events = events;
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
		this.events.publishEvent(new UserCreated(user.getId()));
		return toResponse(user);
	}

	@Transactional(readOnly = true)
	public UserResponse get(long id) {
		User user = this.users.findById(id).orElseThrow(() -> new UserNotFoundException(id));
		return toResponse(user);
	}

	@Transactional(readOnly = true)
	UserPage list(String query, int page, int size) {
		PageRequest request = PageRequest.of(page, size, Sort.by("id"));
		Page<User> users = (query == null || query.isBlank()) ? this.users.findAll(request)
				: this.users.search(containing(query), request);
		Map<Long, String> urls = this.pictures.thumbnailUrls(users.map(User::getId).toList());
		List<UserResponse> items = users.stream()
			.map((user) -> new UserResponse(user.getId(), user.getUsername(), user.getDisplayName(), urls.get(user.getId())))
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
		return toResponse(user);
	}

	@Transactional
	void delete(long id) {
		User user = this.users.findById(id).orElseThrow(() -> new UserNotFoundException(id));
		this.events.publishEvent(new UserDeleting(id));
		this.users.delete(user);
	}

	private static String containing(String query) {
		String escaped = query.strip().toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\")
			.replace("%", "\\%").replace("_", "\\_");
		return "%" + escaped + "%";
	}

	private UserResponse toResponse(User user) {
		return new UserResponse(user.getId(), user.getUsername(), user.getDisplayName(),
				this.pictures.thumbnailUrl(user.getId()));
	}

}
