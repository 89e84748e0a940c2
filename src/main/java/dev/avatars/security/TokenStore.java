package dev.avatars.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.avatars.user.Account;
import dev.avatars.user.Role;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The api_tokens table. A token is "avt_" and 256 random bits; only its SHA-256 is stored, which is enough for
 * a token this random (no salt or slow hash needed: nothing to guess), and lets a lookup use the unique index.
 */
@Repository
class TokenStore {

	static final String PREFIX = "avt_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	TokenStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A token as listed: never its value. */
	record TokenView(long id, String name, String scope, Instant createdAt, Instant expiresAt, Instant revokedAt) {
	}

	/** A token that authenticates: its owner as they are now, and its scope. */
	record Valid(Account account, TokenScope scope) {
	}

	/** A new token: its id, and its value, which is not kept. */
	record Created(long id, String token) {
	}

	Created create(long userId, String name, TokenScope scope, Instant expiresAt, Instant now) {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		org.springframework.jdbc.support.GeneratedKeyHolder keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
		String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		this.jdbc.sql("INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")
			.params(userId, name, hash(token), scope.name(), time(now), (expiresAt != null) ? time(expiresAt) : null)
			.update(keys, "id");
		return new Created(keys.getKey().longValue(), token);
	}

	List<TokenView> list(long userId) {
		return this.jdbc.sql("SELECT id, name, scope, created_at, expires_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id")
			.param(userId)
			.query(TokenStore::view)
			.list();
	}

	/** Revokes one of the user's tokens; false when they have no such token (or it was revoked already). */
	boolean revoke(long userId, long tokenId, Instant now) {
		return this.jdbc.sql("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL")
			.params(time(now), tokenId, userId)
			.update() == 1;
	}

	/** The owner and scope of a token that is neither revoked nor expired at {@code now}. */
	Optional<Valid> authenticate(String token, Instant now) {
		if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
			return Optional.empty();
		}
		return this.jdbc.sql("""
				SELECT u.id, u.username, u.role, t.scope FROM api_tokens t JOIN users u ON u.id = t.user_id
				WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)""")
			.params(hash(token), time(now))
			.query((rs, row) -> new Valid(new Account(rs.getLong(1), rs.getString(2), Role.valueOf(rs.getString(3)), null),
					TokenScope.valueOf(rs.getString(4))))
			.optional();
	}

	private static TokenView view(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new TokenView(rs.getLong("id"), rs.getString("name"), TokenScope.valueOf(rs.getString("scope")).json(),
				instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "revoked_at"));
	}

	private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime time(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	static String hash(String token) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java has SHA-256", ex);
		}
	}

}
