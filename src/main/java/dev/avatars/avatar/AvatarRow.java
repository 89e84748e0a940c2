package dev.avatars.avatar;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

import dev.avatars.thumbnail.Crop;
import dev.avatars.thumbnail.Framing;

/** One row of the avatars table. */
record AvatarRow(long userId, AvatarStatus status, long version, String originalKey, Instant uploadedAt,
		Long readyVersion, String readyExtension, Instant processedAt, String error, Framing framing) {

	static final String COLUMNS = "user_id, status, version, original_key, uploaded_at, ready_version, ready_extension, processed_at, error"
			+ ", framing, framing_x, framing_y, framing_size, face_x, face_y, face_width, face_height, faces";

	static AvatarRow map(ResultSet rs, int rowNum) throws SQLException {
		return new AvatarRow(rs.getLong("user_id"), AvatarStatus.valueOf(rs.getString("status")), rs.getLong("version"),
				rs.getString("original_key"), instant(rs, "uploaded_at"), rs.getObject("ready_version", Long.class),
				rs.getString("ready_extension"), instant(rs, "processed_at"), rs.getString("error"), framing(rs));
	}

	/** Null for versions made before the framing was recorded. */
	private static Framing framing(ResultSet rs) throws SQLException {
		String kind = rs.getString("framing");
		if (kind == null) {
			return null;
		}
		Crop square = new Crop(rs.getDouble("framing_x"), rs.getDouble("framing_y"), rs.getDouble("framing_size"));
		Framing.Box face = (rs.getObject("face_x") != null) ? new Framing.Box(rs.getDouble("face_x"),
				rs.getDouble("face_y"), rs.getDouble("face_width"), rs.getDouble("face_height")) : null;
		return new Framing(Framing.Kind.valueOf(kind), square, face, rs.getInt("faces"));
	}

	static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
