package dev.avatars.user;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface UserRepository extends JpaRepository<User, Long> {

	boolean existsByUsername(String username);

	java.util.Optional<User> findByUsername(String username);

	boolean existsByRole(Role role);

	/** {@code pattern} is a LIKE pattern in lower case, with {@code \\} escaping {@code %} and {@code _}. */
	@Query("select u from User u where lower(u.username) like :pattern escape '\\' or lower(u.displayName) like :pattern escape '\\'")
	Page<User> search(String pattern, Pageable pageable);

}
