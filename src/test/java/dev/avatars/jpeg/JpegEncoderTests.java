package dev.avatars.jpeg;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import dev.avatars.thumbnail.OpenCvForTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link JpegEncoder} against what it replaces, OpenCV's {@code imencode(".jpg")} with the quality as the
 * renderer passed it: decodable by ImageIO and libjpeg, the same quantisation tables, no worse a picture, about
 * as many bytes, nothing but JFIF.
 */
class JpegEncoderTests {

	private static final float QUALITY = 0.85f;

	@BeforeAll
	static void openCvLoads() {
		assertThat(OpenCvForTests.load()).as("OpenCV loads").isNull();
	}

	@ParameterizedTest
	@CsvSource({ "1, 1", "7, 13", "13, 7", "63, 63", "64, 64", "65, 65", "255, 255", "256, 256", "256, 17" })
	void decodesWithImageIoAndOpenCvToItsSize(int width, int height) throws IOException {
		byte[] bgr = gradient(width, height);

		byte[] jpeg = JpegEncoder.encode(bgr, width, height, QUALITY);

		BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
		assertThat(image).as("ImageIO reads it").isNotNull();
		assertThat(image.getWidth()).isEqualTo(width);
		assertThat(image.getHeight()).isEqualTo(height);
		Mat decoded = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
		try {
			assertThat(decoded.cols()).isEqualTo(width);
			assertThat(decoded.rows()).isEqualTo(height);
		}
		finally {
			decoded.release();
		}
		// A gradient comes back close, also along the padded right and bottom edges, and as close as from
		// OpenCV's encoder, through either decoder.
		byte[] theirs = openCvEncode(bgr, width, height, QUALITY);
		assertThat(psnr(bgr, bgrOf(image))).isGreaterThan(30)
			.isGreaterThan(psnr(bgr, bgrOf(ImageIO.read(new ByteArrayInputStream(theirs)))) - 0.3);
		assertThat(psnr(bgr, openCvDecode(jpeg))).isGreaterThan(30)
			.isGreaterThan(psnr(bgr, openCvDecode(theirs)) - 0.3);
	}

	@ParameterizedTest
	@CsvSource({ "1, 1", "7, 13", "63, 63", "64, 64", "65, 65", "255, 255", "256, 256" })
	void hasAboutAsManyBytesAsOpenCvsOnNoise(int width, int height) {
		byte[] bgr = noise(width, height, new Random(width * 31L + height));

		assertLikeOpenCv(bgr, width, height);
	}

	@ParameterizedTest
	@ValueSource(strings = { "astronaut.jpg", "grace_hopper.jpg" })
	void isAsGoodAsOpenCvsOnPhotoSquares(String name) throws IOException {
		Mat photo = Imgcodecs.imdecode(new MatOfByte(resource("/faces/" + name)), Imgcodecs.IMREAD_COLOR);
		int side = Math.min(photo.cols(), photo.rows());
		Mat from = photo.submat(0, side, 0, side);
		// Each size from the one before, as the renderer makes them; and two odd sizes.
		for (int size : new int[] { 256, 128, 64, 65, 255 }) {
			Mat square = new Mat();
			Imgproc.resize(from, square, new Size(size, size), 0, 0, Imgproc.INTER_AREA);
			byte[] bgr = new byte[size * size * 3];
			square.get(0, 0, bgr);
			assertLikeOpenCv(bgr, size, size);
			if (size <= 128) {
				from = square;
			}
		}
		photo.release();
	}

	/** PSNR against the source no worse than OpenCV's by more than 0.3 dB; bytes within 6% of OpenCV's. */
	private static void assertLikeOpenCv(byte[] bgr, int width, int height) {
		byte[] ours = JpegEncoder.encode(bgr, width, height, QUALITY);
		byte[] theirs = openCvEncode(bgr, width, height, QUALITY);

		String what = width + "×" + height;
		assertThat(psnr(bgr, openCvDecode(ours))).as(what).isGreaterThan(psnr(bgr, openCvDecode(theirs)) - 0.3);
		assertThat((double) ours.length).as(what + " bytes").isBetween(theirs.length * 0.94, theirs.length * 1.06);
	}

	@ParameterizedTest
	@CsvSource({ "255, 0, 0", "255, 30, 200", "0, 230, 40", "128, 128, 128", "0, 0, 0", "255, 255, 255" })
	void keepsSolidColoursWithinTwoLevels(int r, int g, int b) throws IOException {
		for (int[] size : new int[][] { { 64, 64 }, { 37, 21 } }) {
			int width = size[0];
			int height = size[1];
			byte[] bgr = new byte[width * height * 3];
			for (int i = 0; i < bgr.length; i += 3) {
				bgr[i] = (byte) b;
				bgr[i + 1] = (byte) g;
				bgr[i + 2] = (byte) r;
			}

			byte[] decoded = bgrOf(ImageIO.read(new ByteArrayInputStream(JpegEncoder.encode(bgr, width, height,
					QUALITY))));

			for (int i = 0; i < bgr.length; i++) {
				assertThat(Math.abs((decoded[i] & 0xFF) - (bgr[i] & 0xFF))).as("sample %d of %d×%d", i, width, height)
					.isLessThanOrEqualTo(2);
			}
		}
	}

	/** OpenCvRenderer passed {@code Math.round(quality * 100)} as IMWRITE_JPEG_QUALITY; libjpeg scaled the tables. */
	@ParameterizedTest
	@ValueSource(floats = { 0f, 0.004f, 0.01f, 0.1f, 0.25f, 0.49f, 0.5f, 0.75f, 0.85f, 0.855f, 0.9f, 0.97f, 0.99f,
			1f })
	void scalesTheQuantisationTablesAsOpenCv(float quality) {
		byte[] bgr = gradient(16, 16);

		List<byte[]> ours = segments(JpegEncoder.encode(bgr, 16, 16, quality), 0xDB);
		List<byte[]> theirs = segments(openCvEncode(bgr, 16, 16, quality), 0xDB);

		assertThat(concatenated(ours)).isEqualTo(concatenated(theirs));
		assertThat(ours).hasSize(2);
	}

	@Test
	void writesNothingButJfifAndTheImage() {
		byte[] jpeg = JpegEncoder.encode(gradient(65, 33), 65, 33, QUALITY);

		assertThat(markers(jpeg)).containsExactly(0xD8, 0xE0, 0xDB, 0xDB, 0xC0, 0xC4, 0xC4, 0xC4, 0xC4, 0xDA);
		byte[] app0 = segments(jpeg, 0xE0).get(0);
		assertThat(Arrays.copyOfRange(app0, 0, 5)).isEqualTo(new byte[] { 'J', 'F', 'I', 'F', 0 });
		// After the scan's header: entropy-coded data, in which 0xFF is only ever stuffed, then EOI.
		int data = scanDataStart(jpeg);
		for (int i = data; i < jpeg.length - 2; i++) {
			if ((jpeg[i] & 0xFF) == 0xFF) {
				assertThat(jpeg[i + 1]).as("byte after 0xFF at %d", i).isEqualTo((byte) 0);
				i++;
			}
		}
		assertThat(Arrays.copyOfRange(jpeg, jpeg.length - 2, jpeg.length))
			.isEqualTo(new byte[] { (byte) 0xFF, (byte) 0xD9 });
	}

	@Test
	void writesTheSameHeadersAsOpenCv() {
		byte[] bgr = gradient(40, 24);

		byte[] ours = JpegEncoder.encode(bgr, 40, 24, QUALITY);
		byte[] theirs = openCvEncode(bgr, 40, 24, QUALITY);

		assertThat(Arrays.copyOfRange(ours, 0, scanDataStart(ours)))
			.isEqualTo(Arrays.copyOfRange(theirs, 0, scanDataStart(theirs)));
	}

	@Test
	void refusesWhatItCannotEncode() {
		assertThatIllegalArgumentException().isThrownBy(() -> JpegEncoder.encode(new byte[3], 0, 1, QUALITY));
		assertThatIllegalArgumentException().isThrownBy(() -> JpegEncoder.encode(new byte[3], 1, 0, QUALITY));
		assertThatIllegalArgumentException().isThrownBy(() -> JpegEncoder.encode(new byte[5], 2, 1, QUALITY));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JpegEncoder.encode(new byte[3 * 65536], 65536, 1, QUALITY));
		assertThatIllegalArgumentException().isThrownBy(() -> JpegEncoder.encode(new byte[3], 1, 1, 1.01f));
		assertThatIllegalArgumentException().isThrownBy(() -> JpegEncoder.encode(new byte[3], 1, 1, -0.01f));
		assertThatIllegalArgumentException().isThrownBy(() -> JpegEncoder.encode(new byte[3], 1, 1, Float.NaN));
	}

	static byte[] gradient(int width, int height) {
		byte[] bgr = new byte[width * height * 3];
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				int i = (y * width + x) * 3;
				bgr[i] = (byte) (40 + x * 150 / Math.max(1, width - 1));
				bgr[i + 1] = (byte) (200 - y * 150 / Math.max(1, height - 1));
				bgr[i + 2] = (byte) (90 + (x + y) * 100 / Math.max(1, width + height - 2));
			}
		}
		return bgr;
	}

	static byte[] noise(int width, int height, Random random) {
		byte[] bgr = new byte[width * height * 3];
		random.nextBytes(bgr);
		return bgr;
	}

	static byte[] bgrOf(BufferedImage image) {
		int width = image.getWidth();
		int height = image.getHeight();
		int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
		byte[] bgr = new byte[argb.length * 3];
		for (int i = 0; i < argb.length; i++) {
			bgr[i * 3] = (byte) argb[i];
			bgr[i * 3 + 1] = (byte) (argb[i] >> 8);
			bgr[i * 3 + 2] = (byte) (argb[i] >> 16);
		}
		return bgr;
	}

	static double psnr(byte[] a, byte[] b) {
		assertThat(b).hasSameSizeAs(a);
		double sum = 0;
		for (int i = 0; i < a.length; i++) {
			int d = (a[i] & 0xFF) - (b[i] & 0xFF);
			sum += d * d;
		}
		return (sum == 0) ? 99 : 10 * Math.log10(255.0 * 255.0 / (sum / a.length));
	}

	private static byte[] openCvEncode(byte[] bgr, int width, int height, float quality) {
		Mat mat = new Mat(height, width, CvType.CV_8UC3);
		MatOfByte out = new MatOfByte();
		MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, Math.round(quality * 100));
		try {
			mat.put(0, 0, bgr);
			assertThat(Imgcodecs.imencode(".jpg", mat, out, params)).isTrue();
			return out.toArray();
		}
		finally {
			mat.release();
			out.release();
			params.release();
		}
	}

	private static byte[] openCvDecode(byte[] jpeg) {
		Mat decoded = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
		try {
			byte[] bgr = new byte[(int) decoded.total() * 3];
			decoded.get(0, 0, bgr);
			return bgr;
		}
		finally {
			decoded.release();
		}
	}

	private static byte[] resource(String name) throws IOException {
		try (InputStream in = JpegEncoderTests.class.getResourceAsStream(name)) {
			assertThat(in).as(name).isNotNull();
			return in.readAllBytes();
		}
	}

	/** The markers up to and including SOS. */
	private static List<Integer> markers(byte[] jpeg) {
		List<Integer> markers = new ArrayList<>();
		markers.add(jpeg[1] & 0xFF);
		int i = 2;
		while (i + 4 <= jpeg.length) {
			int marker = jpeg[i + 1] & 0xFF;
			assertThat(jpeg[i] & 0xFF).as("marker at %d", i).isEqualTo(0xFF);
			markers.add(marker);
			if (marker == 0xDA) {
				break;
			}
			i += 2 + (((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF));
		}
		return markers;
	}

	/** The payloads (after the length) of the segments with this marker, before the scan's data. */
	private static List<byte[]> segments(byte[] jpeg, int wanted) {
		List<byte[]> segments = new ArrayList<>();
		int i = 2;
		while (i + 4 <= jpeg.length) {
			int marker = jpeg[i + 1] & 0xFF;
			int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
			if (marker == wanted) {
				segments.add(Arrays.copyOfRange(jpeg, i + 4, i + 2 + length));
			}
			if (marker == 0xDA) {
				break;
			}
			i += 2 + length;
		}
		return segments;
	}

	private static int scanDataStart(byte[] jpeg) {
		int i = 2;
		while (true) {
			int marker = jpeg[i + 1] & 0xFF;
			int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
			i += 2 + length;
			if (marker == 0xDA) {
				return i;
			}
		}
	}

	private static byte[] concatenated(List<byte[]> parts) {
		return parts.stream().reduce(new byte[0], (a, b) -> {
			byte[] joined = Arrays.copyOf(a, a.length + b.length);
			System.arraycopy(b, 0, joined, a.length, b.length);
			return joined;
		});
	}

}
