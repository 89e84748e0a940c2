package dev.avatars.security;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Fixed-window counters in the database (plain SQL for H2 and PostgreSQL): every instance on one database
 * shares them. Each statement commits on its own, outside any request transaction, so that a refused upload
 * still counts and a failed INSERT never poisons a surrounding PostgreSQL transaction.
 */
@Component
class RateLimiter {

	private final JdbcClient jdbc;

	RateLimiter(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Counts one hit on {@code bucket}: empty when it was within {@code limit} per {@code window}, else how long
	 * until the window ends. {@code limit} 0: no limit, nothing counted.
	 */
	Optional<Duration> hit(String bucket, int limit, Duration window, Instant now) {
		if (limit == 0) {
			return Optional.empty();
		}
		Instant start = windowStart(now, window);
		for (int attempt = 0; attempt < 3; attempt++) {
			int counted = this.jdbc.sql("UPDATE rate_limits SET hits = hits + 1 WHERE bucket = ? AND window_start = ? AND hits < ?")
				.params(bucket, time(start), limit)
				.update();
			if (counted == 1) {
				return Optional.empty();
			}
			Optional<Integer> hits = hits(bucket, start);
			if (hits.isPresent()) {
				if (hits.get() >= limit) {
					return Optional.of(retryAfter(start, window, now));
				}
				// The window's row appeared after the UPDATE looked (another request opened it): count on it.
				continue;
			}
			try {
				this.jdbc.sql("INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1)")
					.params(bucket, time(start))
					.update();
				// A new window: forget the ended ones, of every bucket, so the table holds only current windows.
				this.jdbc.sql("DELETE FROM rate_limits WHERE window_start < ?").param(time(now.minus(window.multipliedBy(2))))
					.update();
				return Optional.empty();
			}
			catch (DuplicateKeyException ex) {
				// Another request (or instance) opened this window at the same moment: count on its row.
			}
		}
		// Only under a storm of requests opening one window at once; refusing is the safe side.
		return Optional.of(retryAfter(start, window, now));
	}

	/** Whether {@code bucket} has used up {@code limit} in this window, without counting; how long if so. */
	Optional<Duration> exhausted(String bucket, int limit, Duration window, Instant now) {
		if (limit == 0) {
			return Optional.empty();
		}
		Instant start = windowStart(now, window);
		return (hits(bucket, start).orElse(0) >= limit) ? Optional.of(retryAfter(start, window, now)) : Optional.empty();
	}

	private Optional<Integer> hits(String bucket, Instant start) {
		return this.jdbc.sql("SELECT hits FROM rate_limits WHERE bucket = ? AND window_start = ?")
			.params(bucket, time(start))
			.query(Integer.class)
			.optional();
	}

	/** Windows are aligned to the epoch, so every instance computes the same start. */
	static Instant windowStart(Instant now, Duration window) {
		long size = window.toMillis();
		return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), size) * size);
	}

	private static Duration retryAfter(Instant start, Duration window, Instant now) {
		Duration left = Duration.between(now, start.plus(window));
		return left.isNegative() ? Duration.ZERO : left;
	}

	private static OffsetDateTime time(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
