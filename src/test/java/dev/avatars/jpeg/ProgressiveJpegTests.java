package dev.avatars.jpeg;

import java.util.ArrayList;
import java.util.List;

import dev.avatars.TestImages;
import dev.avatars.thumbnail.OpenCvForTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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
 * Progressive JPEGs at 1/8: only the DC scans are read, whatever the scan script, and the pixels are libjpeg's
 * 1/8 decode of the same file (which also uses only the DC coefficients). The scripts come from jpegtran
 * ({@code src/test/resources/progressive}) and from libjpeg's own progression, as OpenCV writes it.
 */
class ProgressiveJpegTests {

	private static final String[] SCRIPTS = { "dc-interleaved", "dc-per-component", "dc-two-steps",
			"dc-three-steps", "dc-mixed", "dc-two-steps-restart" };

	@BeforeAll
	static void nativeLibraryLoads() {
		assertThat(OpenCvForTests.load()).as("why OpenCV does not load").isNull();
	}

	/** 4:2:2: libjpeg's 1/8 pixels are exactly the blocks' means, as ours. */
	@ParameterizedTest
	@ValueSource(strings = { "dc-interleaved", "dc-per-component", "dc-two-steps", "dc-three-steps", "dc-mixed",
			"dc-two-steps-restart" })
	void everyScanScriptDecodesAsLibjpegDoesAtOneEighth(String script) {
		byte[] jpeg = fixture(script + "-422.jpg");

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
	void everyScanScriptGivesWhatTheBaselineOriginalGives() {
		byte[] baseline = fixture("photo-420.jpg");
		byte[] expected = ReducedJpegDecoder.decode(baseline, baseline.length, 8).bgr();
		List<String> scripts = new ArrayList<>(List.of(SCRIPTS));
		scripts.add("default");
		for (String script : scripts) {
			byte[] jpeg = fixture(script + "-420.jpg");
			ReducedJpegDecoder.Reduced ours = ReducedJpegDecoder.decode(jpeg, jpeg.length, 8);
			assertThat(ours).as(script).isNotNull();
			assertThat(ours.bgr()).as(script).isEqualTo(expected);
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { -1, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422,
			Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_440, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420 })
	void libjpegsOwnProgressionGivesWhatBaselineGives(int sampling) {
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

	@Test
	void atOneQuarterAProgressiveFileIsLeftToTheFullDecoder() {
		byte[] jpeg = fixture("dc-interleaved-422.jpg");
		assertThat(ReducedJpegDecoder.decode(jpeg, jpeg.length, 4)).isNull();
	}

	/** The AC scans are not decoded at 1/8, so damage there changes nothing, as in libjpeg's 1/8 decode. */
	@Test
	void damageInAnAcScanChangesNothingAtOneEighth() {
		byte[] jpeg = fixture("dc-per-component-422.jpg");
		byte[] expected = ReducedJpegDecoder.decode(jpeg, jpeg.length, 8).bgr();
		List<int[]> scans = scans(jpeg);
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
		for (String script : SCRIPTS) {
			byte[] jpeg = fixture(script + "-422.jpg");
			List<int[]> scans = scans(jpeg);
			for (int s = 0; s < scans.size(); s++) {
				int[] scan = scans.get(s);
				for (int variant = 0; variant < 4; variant++) {
					byte[] damaged = jpeg.clone();
					int length = scan[1] - scan[0];
					int at = scan[0] + (int) ((long) length * variant / 4);
					damaged[at] ^= (byte) (0x21 << (variant % 3));
					if (variant == 3) {
						damaged[scan[0] + length / 2] = (byte) 0xFF; // a marker where none belongs
					}
					ReducedJpegDecoder.Reduced ours = ReducedJpegDecoder.decode(damaged, damaged.length, 8);
					if (ours != null) {
						assertThat(ours.bgr()).hasSize(ours.width() * ours.height() * 3);
					}
				}
			}
		}
	}

	/** Each scan's entropy-coded data: from, to (exclusive), and whether it is an AC scan (1) or DC (0). */
	static List<int[]> scans(byte[] jpeg) {
		List<int[]> scans = new ArrayList<>();
		int pos = 2;
		while (pos + 4 <= jpeg.length) {
			int marker = jpeg[pos + 1] & 0xFF;
			if (marker == 0xD9) {
				break;
			}
			int length = ((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF);
			int next = pos + 2 + length;
			if (marker == 0xDA) {
				int count = jpeg[pos + 4] & 0xFF;
				int start = jpeg[pos + 5 + 2 * count] & 0xFF;
				int end = next;
				while (!(jpeg[end] == (byte) 0xFF && jpeg[end + 1] != 0 && (jpeg[end + 1] & 0xF8) != 0xD0)) {
					end++;
				}
				scans.add(new int[] { next, end, (start == 0) ? 0 : 1 });
				next = end;
			}
			pos = next;
		}
		return scans;
	}

	static byte[] fixture(String name) {
		return TestImages.resource("progressive/" + name);
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
		Mat decoded = Imgcodecs.imdecode(new MatOfByte(jpeg),
				Imgcodecs.IMREAD_REDUCED_COLOR_8 | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
		byte[] bgr = new byte[(int) decoded.total() * 3];
		decoded.get(0, 0, bgr);
		return bgr;
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
