package dev.avatars.thumbnail;

/** Lets tests outside this package (the JPEG decoder's, which compare with libjpeg) load OpenCV as the app does. */
public final class OpenCvForTests {

	private OpenCvForTests() {
	}

	/** @return null when OpenCV is loaded, else why not */
	public static String load() {
		return NativeOpenCv.available() ? null : NativeOpenCv.failure();
	}

}
