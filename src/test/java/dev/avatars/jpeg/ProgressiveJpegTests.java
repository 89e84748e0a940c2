package dev.avatars.jpeg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import dev.avatars.TestImages;
import dev.avatars.thumbnail.OpenCvForTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Progressive JPEGs. At 1/8 only the DC scans are read, whatever the scan script, and the pixels are libjpeg's
 * 1/8 decode of the same file (which also uses only the DC coefficients). At 1/4 every scan is read, and as a
 * progressive file holds exactly its baseline original's coefficients, the pixels are the baseline original's,
 * byte for byte; 4:2:2 (and 4:4:0) are left to the full decoder there, as baseline ones are. The scripts come
 * from jpegtran ({@code src/test/resources/images/progressive}, see its README) and from libjpeg's own
 * progression, as OpenCV writes it.
 */
class ProgressiveJpegTests {

	/** DC split in every way; AC in one scan per component or band. */
	private static final String[] SCRIPTS = { "dc-interleaved", "dc-per-component", "dc-two-steps",
			"dc-three-steps", "dc-mixed", "dc-two-steps-restart" };

	/** AC successive approximation, odd bands, restart intervals; the fixtures' README says which does what. */
	private static final String[] AC_SCRIPTS = { "ac-four-steps", "ac-four-steps-restart", "ac-four-steps-restart-5b",
			"ac-three-steps", "ac-deep", "ac-deep-restart-1b", "ac-bands" };

	/** The fixtures are 257×193: 1/4 rounds up. */
	private static final int QUARTER_WIDTH = 65;

	private static final int QUARTER_HEIGHT = 49;

	@BeforeAll
	static void nativeLibraryLoads() {
		assertThat(OpenCvForTests.load()).as("why OpenCV does not load").isNull();
	}

	/** Every jpegtran script, default included. */
	static List<String> scripts() {
		List<String> scripts = new ArrayList<>(List.of(SCRIPTS));
		scripts.addAll(List.of(AC_SCRIPTS));
		scripts.add("default");
		return scripts;
	}

	/** Each script with each chroma sampling named. */
	private static Stream<Arguments> scriptsWith(String... samplings) {
		return scripts().stream().flatMap((script) -> Stream.of(samplings).map((s) -> Arguments.of(script, s)));
	}

	static Stream<Arguments> quarterSampledAndFull() {
		return scriptsWith("420", "444");
	}

	static Stream<Arguments> halfSampledAndFull() {
		return scriptsWith("422", "444");
	}

	/** 4:2:2 and 4:4:4: libjpeg's 1/8 pixels are exactly the blocks' means, as ours; the AC scans are skipped. */
	@ParameterizedTest(name = "{0}-{1}")
	@MethodSource("halfSampledAndFull")
	void everyScanScriptDecodesAsLibjpegDoesAtOneEighth(String script, String sampling) {
		byte[] jpeg = fixture(script + "-" + sampling + ".jpg");

		ReducedJpegDecoder.Reduced ours = ReducedJpegDecoder.decode(jpeg, jpeg.length, 8);

		assertThat(ours).as("decoded").isNotNull();
		assertThat(ours.width()).isEqualTo(33);
		assertThat(ours.height()).isEqualTo(25);
		assertThat(worstDifference(ours.bgr(), libjpeg(jpeg))).isLessThanOrEqualTo(1);
	}

	/**
	 * 4:2:0: libjpeg makes 2×2 chroma pixels of each block from its AC coefficients (see
	 * {@link ReducedJpegDecoder}); the progressive file must give exactly what its baseline original gives.
	 */
	@Test
	void everyScanScriptGivesWhatTheBaselineOriginalGivesAtOneEighth() {
		byte[] baseline = fixture("photo-420.jpg");
		byte[] expected = ReducedJpegDecoder.decode(baseline, baseline.length, 8).bgr();
		for (String script : scripts()) {
			byte[] jpeg = fixture(script + "-420.jpg");
			ReducedJpegDecoder.Reduced ours = ReducedJpegDecoder.decode(jpeg, jpeg.length, 8);
			assertThat(ours).as(script).isNotNull();
			assertThat(ours.bgr()).as(script).isEqualTo(expected);
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { -1, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422,
			Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_440, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420 })
	void libjpegsOwnProgressionGivesWhatBaselineGivesAtOneEighth(int sampling) {
		Mat photo = photo(sampling < 0);
		int factor = (sampling < 0) ? Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420 : sampling;
		byte[] progressive = encode(photo, factor, true);
		byte[] baseline = encode(photo, factor, false);

		ReducedJpegDecoder.Reduced ours = ReducedJpegDecoder.decode(progressive, progressive.length, 8);

		assertThat(ours.bgr()).isEqualTo(ReducedJpegDecoder.decode(baseline, baseline.length, 8).bgr());
		if (sampling != Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420) {
			assertThat(worstDifference(ours.bgr(), libjpeg(progressive))).isLessThanOrEqualTo(1);
		}
	}

	/**
	 * At 1/4 every scan counts: DC and AC, first scans and refinements, EOB runs, restarts. The coefficients are
	 * the baseline original's, so are the pixels, byte for byte.
	 */
	@ParameterizedTest(name = "{0}-{1}")
	@MethodSource("quarterSampledAndFull")
	void atOneQuarterEveryScanScriptGivesWhatTheBaselineOriginalGives(String script, String sampling) {
		byte[] baseline = fixture("photo-" + sampling + ".jpg");
		ReducedJpegDecoder.Reduced expected = ReducedJpegDecoder.decode(baseline, baseline.length, 4);
		assertThat(expected).as("the baseline original at 1/4").isNotNull();
		byte[] jpeg = fixture(script + "-" + sampling + ".jpg");

		ReducedJpegDecoder.Reduced ours = ReducedJpegDecoder.decode(jpeg, jpeg.length, 4);

		assertThat(ours).as("decoded").isNotNull();
		assertThat(ours.width()).isEqualTo(QUARTER_WIDTH);
		assertThat(ours.height()).isEqualTo(QUARTER_HEIGHT);
		assertThat(firstDifference(ours, expected)).as("against the baseline original").isNull();
	}

	/** The baseline originals themselves at 1/4: within the few levels of libjpeg's 1/4 that baseline files are. */
	@ParameterizedTest
	@ValueSource(strings = { "420", "444" })
	void atOneQuarterTheBaselineOriginalsAreWhatLibjpegGives(String sampling) {
		byte[] baseline = fixture("photo-" + sampling + ".jpg");
		ReducedJpegDecoder.Reduced ours = ReducedJpegDecoder.decode(baseline, baseline.length, 4);
		assertThat(ours.width()).isEqualTo(QUARTER_WIDTH);
		assertThat(ours.height()).isEqualTo(QUARTER_HEIGHT);
		ReducedJpegDecoderTests.assertWithinLibjpegsQuarter(ours, baseline, false);
		// And libjpeg reads each progressive file as it reads the baseline one: the premise of the test above.
		for (String script : scripts()) {
			byte[] jpeg = fixture(script + "-" + sampling + ".jpg");
			assertThat(ReducedJpegDecoderTests.libjpeg(jpeg, Imgcodecs.IMREAD_REDUCED_COLOR_4)).as(script)
				.isEqualTo(ReducedJpegDecoderTests.libjpeg(baseline, Imgcodecs.IMREAD_REDUCED_COLOR_4));
		}
	}

	/** At 1/4 libjpeg upsamples 4:2:2 chroma with a filter the decoder does not copy: left, progressive or not. */
	@Test
	void atOneQuarterHalfSampledChromaIsStillLeftToTheFullDecoder() {
		List<String> files = new ArrayList<>();
		files.add("photo");
		files.addAll(scripts());
		for (String name : files) {
			byte[] jpeg = fixture(name + "-422.jpg");
			assertThat(ReducedJpegDecoder.decode(jpeg, jpeg.length, 8)).as(name + " at 1/8").isNotNull();
			assertThat(ReducedJpegDecoder.decode(jpeg, jpeg.length, 4)).as(name + " at 1/4").isNull();
		}
	}

	/** libjpeg's own progression (spectral selection and successive approximation), as OpenCV writes it. */
	@ParameterizedTest
	@ValueSource(ints = { -1, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420 })
	void libjpegsOwnProgressionGivesWhatBaselineGivesAtOneQuarter(int sampling) {
		boolean grey = sampling < 0;
		Mat photo = photo(grey);
		int factor = grey ? Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420 : sampling;
		byte[] progressive = encode(photo, factor, true);
		byte[] baseline = encode(photo, factor, false);

		ReducedJpegDecoder.Reduced ours = ReducedJpegDecoder.decode(progressive, progressive.length, 4);

		assertThat(ours).as("decoded").isNotNull();
		assertThat(ours.width()).isEqualTo(251);
		assertThat(ours.height()).isEqualTo(190);
		assertThat(firstDifference(ours, ReducedJpegDecoder.decode(baseline, baseline.length, 4)))
			.as("against the baseline original")
			.isNull();
		ReducedJpegDecoderTests.assertWithinLibjpegsQuarter(ours, progressive, grey);
	}

	@ParameterizedTest
	@ValueSource(ints = { Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_440 })
	void libjpegsOwnProgressionWithHalfSampledChromaIsLeftAtOneQuarter(int sampling) {
		byte[] progressive = encode(photo(false), sampling, true);

		assertThat(ReducedJpegDecoder.decode(progressive, progressive.length, 8)).isNotNull();
		assertThat(ReducedJpegDecoder.decode(progressive, progressive.length, 4)).isNull();
	}

	/**
	 * A script jpegtran accepts may leave low bits unsent: the file is valid, its coefficients are not the
	 * original's. At 1/8 (DC complete) it is the original; at 1/4 a picture of its size or null.
	 */
	@Test
	void aScriptThatLeavesBitsUnsentGivesAPictureOfItsSizeOrNull() {
		byte[] baseline = fixture("photo-420.jpg");
		byte[] jpeg = fixture("ac-bits-unsent-420.jpg");

		assertThat(ReducedJpegDecoder.decode(jpeg, jpeg.length, 8).bgr())
			.isEqualTo(ReducedJpegDecoder.decode(baseline, baseline.length, 8).bgr());
		ReducedJpegDecoder.Reduced quarter = ReducedJpegDecoder.decode(jpeg, jpeg.length, 4);
		if (quarter != null) {
			assertThat(quarter.width()).isEqualTo(QUARTER_WIDTH);
			assertThat(quarter.height()).isEqualTo(QUARTER_HEIGHT);
			assertThat(quarter.bgr()).hasSize(QUARTER_WIDTH * QUARTER_HEIGHT * 3);
		}
	}

	/** The AC scans are not decoded at 1/8, so damage there changes nothing, as in libjpeg's 1/8 decode. */
	@Test
	void damageInAnAcScanChangesNothingAtOneEighth() {
		byte[] jpeg = fixture("dc-per-component-422.jpg");
		byte[] expected = ReducedJpegDecoder.decode(jpeg, jpeg.length, 8).bgr();
		List<int[]> scans = TestImages.jpegScans(jpeg);
		int damagedScans = 0;
		for (int s = 0; s < scans.size(); s++) {
			int[] scan = scans.get(s);
			if (scan[2] == 0) {
				continue; // a DC scan
			}
			byte[] damaged = jpeg.clone();
			for (int at = scan[0] + 3; at < scan[1] - 3; at += 11) {
				if (damaged[at] != (byte) 0xFF && damaged[at - 1] != (byte) 0xFF) {
					damaged[at] = (byte) (damaged[at] == 0x5A ? 0x5B : 0x5A);
				}
			}
			ReducedJpegDecoder.Reduced ours = ReducedJpegDecoder.decode(damaged, damaged.length, 8);
			assertThat(ours).as("scan %d", s).isNotNull();
			assertThat(ours.bgr()).as("scan %d", s).isEqualTo(expected);
			assertThat(worstDifference(ours.bgr(), libjpeg(damaged))).as("scan %d", s).isLessThanOrEqualTo(1);
			damagedScans++;
		}
		assertThat(damagedScans).isEqualTo(4);
	}

	/** Whatever is damaged in whichever scan: a picture or null, never an exception. */
	@Test
	void damageInsideAnyScanGivesAPictureOrNull() {
		for (String script : scripts()) {
			byte[] jpeg = fixture(script + "-422.jpg");
			for (byte[] damaged : damaged(jpeg)) {
				ReducedJpegDecoder.Reduced ours = ReducedJpegDecoder.decode(damaged, damaged.length, 8);
				if (ours != null) {
					assertThat(ours.bgr()).hasSize(ours.width() * ours.height() * 3);
				}
			}
		}
	}

	/**
	 * At 1/4, where every scan is decoded: bits flipped at four places of each scan, a marker where none belongs,
	 * the scan's data cut short by a zero run; a picture of the frame's size rounded up, or null.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "420", "444" })
	void damageInsideAnyScanGivesAPictureOfItsSizeOrNullAtOneQuarter(String sampling) {
		int pictures = 0;
		int decodes = 0;
		for (String script : scripts()) {
			byte[] jpeg = fixture(script + "-" + sampling + ".jpg");
			for (byte[] damaged : damaged(jpeg)) {
				ReducedJpegDecoder.Reduced ours = ReducedJpegDecoder.decode(damaged, damaged.length, 4);
				decodes++;
				if (ours != null) {
					assertThat(ours.width()).as(script).isEqualTo(QUARTER_WIDTH);
					assertThat(ours.height()).as(script).isEqualTo(QUARTER_HEIGHT);
					assertThat(ours.bgr()).as(script).hasSize(QUARTER_WIDTH * QUARTER_HEIGHT * 3);
					pictures++;
				}
			}
		}
		// Not vacuous: the damaged files reach the decoding of the scans (most damage decodes to some picture).
		assertThat(pictures).as("pictures of %d damaged files", decodes).isGreaterThan(decodes / 4);
	}

	/** Each scan of the file damaged in five ways, one file each. */
	private static List<byte[]> damaged(byte[] jpeg) {
		List<byte[]> files = new ArrayList<>();
		for (int[] scan : TestImages.jpegScans(jpeg)) {
			int length = scan[1] - scan[0];
			for (int variant = 0; variant < 5; variant++) {
				byte[] damaged = jpeg.clone();
				int at = scan[0] + (int) ((long) length * variant / 4);
				if (variant < 4) {
					damaged[Math.min(at, scan[1] - 1)] ^= (byte) (0x21 << (variant % 3));
				}
				if (variant == 3) {
					damaged[scan[0] + length / 2] = (byte) 0xFF; // a marker where none belongs
				}
				if (variant == 4) {
					// The second half of the scan's data zeroed: its codes run on into what is not there.
					Arrays.fill(damaged, scan[0] + length / 2, scan[1], (byte) 0);
				}
				files.add(damaged);
			}
		}
		return files;
	}

	static byte[] fixture(String name) {
		return TestImages.resource("progressive/" + name);
	}

	/**
	 * Null when both pictures are the same size and every byte is equal; else where they first differ and by how
	 * much they differ, for the failure's message.
	 */
	static String firstDifference(ReducedJpegDecoder.Reduced ours, ReducedJpegDecoder.Reduced expected) {
		if (ours.width() != expected.width() || ours.height() != expected.height()) {
			return ours.width() + "x" + ours.height() + " where " + expected.width() + "x" + expected.height();
		}
		byte[] a = ours.bgr();
		byte[] b = expected.bgr();
		int first = -1;
		int count = 0;
		int worst = 0;
		for (int i = 0; i < b.length; i++) {
			int off = Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
			if (off != 0) {
				first = (first < 0) ? i : first;
				count++;
				worst = Math.max(worst, off);
			}
		}
		if (first < 0) {
			return null;
		}
		int pixel = first / 3;
		return String.format("byte %d (x %d, y %d, %s) is %d where %d; %d of %d bytes differ, by up to %d", first,
				pixel % expected.width(), pixel / expected.width(), "BGR".charAt(first % 3), a[first] & 0xFF,
				b[first] & 0xFF, count, b.length, worst);
	}

	private static int worstDifference(byte[] ours, byte[] theirs) {
		assertThat(ours).hasSameSizeAs(theirs);
		int worst = 0;
		for (int i = 0; i < ours.length; i++) {
			worst = Math.max(worst, Math.abs((ours[i] & 0xFF) - (theirs[i] & 0xFF)));
		}
		return worst;
	}

	private static byte[] libjpeg(byte[] jpeg) {
		return ReducedJpegDecoderTests.libjpeg(jpeg, Imgcodecs.IMREAD_REDUCED_COLOR_8);
	}

	/** Smooth colour, a disc and stripes with grain; 1001×757, not whole blocks. */
	private static Mat photo(boolean grey) {
		Mat colour = new Mat(757, 1001, CvType.CV_8UC3, new Scalar(60, 120, 200));
		Mat noise = new Mat(757, 1001, CvType.CV_8UC3);
		org.opencv.core.Core.randu(noise, 0, 40);
		org.opencv.core.Core.add(colour, noise, colour);
		Imgproc.circle(colour, new org.opencv.core.Point(600, 300), 150, new Scalar(40, 40, 230), -1);
		for (int x = 0; x < 1001; x += 200) {
			Imgproc.rectangle(colour, new org.opencv.core.Point(x, 0), new org.opencv.core.Point(x + 100, 757),
					new Scalar(180, 60, 60), -1);
		}
		if (!grey) {
			return colour;
		}
		Mat out = new Mat();
		Imgproc.cvtColor(colour, out, Imgproc.COLOR_BGR2GRAY);
		return out;
	}

	private static byte[] encode(Mat image, int sampling, boolean progressive) {
		MatOfByte out = new MatOfByte();
		MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR,
				sampling, Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, progressive ? 1 : 0);
		assertThat(Imgcodecs.imencode(".jpg", image, out, params)).isTrue();
		return out.toArray();
	}

}
