package dev.avatars.thumbnail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import org.opencv.core.Core;

/**
 * Loads OpenCV's native library once per process from the natives bundled in its jar (Linux, macOS and Windows
 * builds). Where that fails (another platform, a temporary folder mounted noexec) the reason is kept and
 * thumbnails use the pure-Java path.
 *
 * <p>The library is copied to a private temporary file, loaded, and the file deleted at once: the loaded
 * mapping outlives it, so no copy is left behind even when the process is killed.
 */
final class NativeOpenCv {

	/** Follows {@code opencv.version} in the pom (4.9.0-0); a test fails when they part. */
	private static final String LIBRARY = "opencv_java490";

	/** The temporary copy the library was loaded from, deleted once loaded; {@code null} when none was made. */
	private static Path copy;

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

	/** Lets a test check that this process's copy is gone, whatever other processes leave in the folder. */
	static Path temporaryCopy() {
		return copy;
	}

	/** Only once {@link #available()}: the version comes from the library itself. */
	static String version() {
		return Core.VERSION;
	}

	private static String load() {
		String resource = bundledLibrary();
		if (resource == null) {
			return "no bundled build for " + System.getProperty("os.name") + " on " + System.getProperty("os.arch");
		}
		try (InputStream library = NativeOpenCv.class.getResourceAsStream(resource)) {
			if (library == null) {
				return "the OpenCV jar has no " + resource;
			}
			copy = Files.createTempFile("avatars-opencv-", "-" + System.mapLibraryName(LIBRARY));
			Files.copy(library, copy, StandardCopyOption.REPLACE_EXISTING);
			System.load(copy.toAbsolutePath().toString());
			// One thread per call: the job already keeps every core busy with one worker each.
			Core.setNumThreads(1);
			return null;
		}
		catch (IOException | LinkageError | RuntimeException ex) {
			return ex.toString();
		}
		finally {
			deleteQuietly(copy);
		}
	}

	/** Where openpnp's jar keeps the build for this platform, or {@code null} when it has none. */
	private static String bundledLibrary() {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
		String folder = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx"
				: os.startsWith("windows") ? "windows" : null;
		String cpu = switch (arch) {
			case "amd64", "x86_64" -> "x86_64";
			case "aarch64", "arm64" -> "ARMv8";
			default -> null;
		};
		return (folder != null && cpu != null)
				? "/nu/pattern/opencv/" + folder + "/" + cpu + "/" + System.mapLibraryName(LIBRARY) : null;
	}

	private static void deleteQuietly(Path copy) {
		if (copy == null) {
			return;
		}
		try {
			Files.deleteIfExists(copy);
		}
		catch (IOException ex) {
			// Windows keeps a loaded DLL's file locked: remove it when the process ends.
			copy.toFile().deleteOnExit();
		}
	}

}
