package dev.avatars.avatar;

import java.io.IOException;
import java.nio.file.Path;

/** Where avatar files live. Keys are made by the server; a client's file name never reaches the disk. */
public interface AvatarStorage {

	/** A fresh temporary path beside the originals, so that keeping it is an atomic rename. */
	Path newIncomingFile() throws IOException;

	/** Atomically moves a received file into place as an original and returns its key. */
	String keepOriginal(Path incoming, ImageFormat format) throws IOException;

	Path original(String key);

	void deleteOriginal(String key);

	/** Deletes every file of one user's avatar: the given original and all thumbnails. */
	void deleteAll(long userId, String originalKey);

}
