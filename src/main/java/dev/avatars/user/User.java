package dev.avatars.user;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "users")
class User {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(nullable = false, unique = true, length = 32)
	private String username;

	@Column(nullable = false, length = 100)
	private String displayName;

	@Column(nullable = false)
	private Instant createdAt;

	/** Spring Security's delegating format ({@code {bcrypt}...}); null for users made before accounts existed. */
	private String passwordHash;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false, length = 8)
	private Role role = Role.USER;

	protected User() {
	}

	User(String username, String displayName, Instant createdAt) {
		this.username = username;
		this.displayName = displayName;
		this.createdAt = createdAt;
	}

	Long getId() {
		return this.id;
	}

	String getUsername() {
		return this.username;
	}

	String getDisplayName() {
		return this.displayName;
	}

	void setDisplayName(String displayName) {
		this.displayName = displayName;
	}

	String getPasswordHash() {
		return this.passwordHash;
	}

	void setPasswordHash(String passwordHash) {
		this.passwordHash = passwordHash;
	}

	Role getRole() {
		return this.role;
	}

	void setRole(Role role) {
		this.role = role;
	}

}
