package dev.avatars.thumbnail;

import org.opencv.core.Core;

/**
 * Loads OpenCV's native library once per process, from the natives bundled in its jar. Where that fails (an
 * unsupported platform, a read-only temporary folder) the reason is kept and thumbnails use the pure-Java path.
 */
final class NativeOpenCv {

	private static final String FAILURE = load();

	private NativeOpenCv() {
	}

	static boolean available() {
		return FAILURE == null;
	}

	/** Why the library could not be loaded, or {@code null} when it was. */
	static String failure() {
		return FAILURE;
	}

	static String version() {
		return available() ? Core.VERSION : "unavailable";
	}

	private static String load() {
		try {
			nu.pattern.OpenCV.loadLocally();
			// One thread per call: the job already keeps every core busy with one worker each.
			Core.setNumThreads(1);
			return null;
		}
		catch (LinkageError | RuntimeException ex) {
			return ex.toString();
		}
	}

}
