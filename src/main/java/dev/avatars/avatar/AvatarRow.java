package dev.avatars.avatar;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** One row of the avatars table. */
record AvatarRow(long userId, AvatarStatus status, long version, String originalKey, Instant uploadedAt,
		Long readyVersion, String readyExtension, Instant processedAt, String error) {

	static final String COLUMNS = "user_id, status, version, original_key, uploaded_at, ready_version, ready_extension, processed_at, error";

	static AvatarRow map(ResultSet rs, int rowNum) throws SQLException {
		return new AvatarRow(rs.getLong("user_id"), AvatarStatus.valueOf(rs.getString("status")), rs.getLong("version"),
				rs.getString("original_key"), instant(rs, "uploaded_at"), rs.getObject("ready_version", Long.class),
				rs.getString("ready_extension"), instant(rs, "processed_at"), rs.getString("error"));
	}

	static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
