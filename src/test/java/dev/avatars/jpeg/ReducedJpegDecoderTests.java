package dev.avatars.jpeg;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;

import dev.avatars.TestImages;
import dev.avatars.thumbnail.DecoderFidelityBenchmark;
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
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoder at 1/8 and 1/4 against libjpeg-turbo (inside OpenCV) on the same files, which OpenCV also writes:
 * every chroma sampling it reads, grey, restart markers, and sizes that are not whole blocks. And what it must
 * leave alone.
 */
class ReducedJpegDecoderTests {

	private static final int WIDTH = 1001;

	private static final int HEIGHT = 757;

	private static final int SAMPLING_420 = Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420;

	@BeforeAll
	static void nativeLibraryLoads() {
		assertThat(OpenCvForTests.load()).as("why OpenCV does not load").isNull();
	}

	@Test
	void greyIsExactlyWhatLibjpegGivesAtOneEighth() {
		byte[] jpeg = encode(photo(CvType.CV_8UC1), SAMPLING_420, 0);

		ReducedJpegDecoder.Reduced ours = ReducedJpegDecoder.decode(jpeg, jpeg.length, 8);

		Mat theirs = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_REDUCED_GRAYSCALE_8);
		assertThat(ours.width()).isEqualTo(theirs.cols()).isEqualTo(126);
		assertThat(ours.height()).isEqualTo(theirs.rows()).isEqualTo(95);
		byte[] grey = new byte[ours.width() * ours.height()];
		theirs.get(0, 0, grey);
		for (int i = 0; i < grey.length; i++) {
			assertThat(ours.bgr()[3 * i]).as("pixel %d", i).isEqualTo(grey[i]);
			assertThat(ours.bgr()[3 * i + 1]).isEqualTo(grey[i]);
			assertThat(ours.bgr()[3 * i + 2]).isEqualTo(grey[i]);
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422,
			Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_440 })
	void colourIsExactlyWhatLibjpegGivesAtOneEighth(int sampling) {
		byte[] jpeg = encode(photo(CvType.CV_8UC3), sampling, 0);

		assertThat(ReducedJpegDecoder.decode(jpeg, jpeg.length, 8).bgr())
			.isEqualTo(libjpeg(jpeg, Imgcodecs.IMREAD_REDUCED_COLOR_8));
	}

	/**
	 * At 1/4 libjpeg computes each pixel with integer arithmetic of its own, this decoder in floating point: a
	 * value may round the other way, and the colour conversion can widen that to a few levels.
	 */
	@ParameterizedTest
	@ValueSource(ints = { -1, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444, SAMPLING_420 })
	void atOneQuarterEveryPixelIsWithinAFewLevelsOfLibjpegs(int sampling) {
		boolean grey = sampling < 0;
		byte[] jpeg = encode(photo(grey ? CvType.CV_8UC1 : CvType.CV_8UC3), grey ? SAMPLING_420 : sampling, 0);

		ReducedJpegDecoder.Reduced ours = ReducedJpegDecoder.decode(jpeg, jpeg.length, 4);

		assertThat(ours.width()).isEqualTo(251);
		assertThat(ours.height()).isEqualTo(190);
		assertWithinLibjpegsQuarter(ours, jpeg, grey);
	}

	/** Within 1 level (grey) or 3 of libjpeg's 1/4 decode of the same file, and mostly equal. */
	static void assertWithinLibjpegsQuarter(ReducedJpegDecoder.Reduced ours, byte[] jpeg, boolean grey) {
		byte[] theirs = libjpeg(jpeg, Imgcodecs.IMREAD_REDUCED_COLOR_4);
		assertThat(ours.bgr()).hasSameSizeAs(theirs);
		int worst = 0;
		long total = 0;
		for (int i = 0; i < theirs.length; i++) {
			int off = Math.abs((ours.bgr()[i] & 0xFF) - (theirs[i] & 0xFF));
			worst = Math.max(worst, off);
			total += off;
		}
		assertThat(worst).as("largest difference from libjpeg's 1/4").isLessThanOrEqualTo(grey ? 1 : 3);
		assertThat(total / (double) theirs.length).as("mean difference from libjpeg's 1/4").isLessThan(0.05);
	}

	/** At 1/4 libjpeg upsamples 4:2:2 and 4:4:0 chroma with a filter this decoder does not copy. */
	@ParameterizedTest
	@ValueSource(ints = { Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_440 })
	void atOneQuarterHalfSampledChromaIsLeftToTheFullDecoder(int sampling) {
		byte[] jpeg = encode(photo(CvType.CV_8UC3), sampling, 0);

		assertThat(ReducedJpegDecoder.decode(jpeg, jpeg.length, 8)).isNotNull();
		assertThat(ReducedJpegDecoder.decode(jpeg, jpeg.length, 4)).isNull();
	}

	/**
	 * With 4:2:0 chroma libjpeg makes 2×2 pixels of each chroma block from its lowest AC coefficients, where this
	 * decoder repeats the block's mean. What counts is the thumbnail: compared with one made from the whole
	 * picture, on this picture's hard colour edges (a worst case; photos have few) ours is off by 1.99 levels on
	 * average and libjpeg's 1/8 by 1.21.
	 */
	@Test
	void quarterSampledChromaMakesThumbnailsNearlyAsTrueAsLibjpegs() {
		Mat photo = photo(CvType.CV_8UC3);
		byte[] jpeg = encode(photo, SAMPLING_420, 0);
		Mat truth = DecoderFidelityBenchmark.thumbnail(Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR),
				64);
		ReducedJpegDecoder.Reduced eighth = ReducedJpegDecoder.decode(jpeg, jpeg.length, 8);
		Mat ours = new Mat(eighth.height(), eighth.width(), CvType.CV_8UC3);
		ours.put(0, 0, eighth.bgr());

		double oursOff = DecoderFidelityBenchmark.difference(DecoderFidelityBenchmark.thumbnail(ours, 64), truth);
		double libjpegOff = DecoderFidelityBenchmark.difference(DecoderFidelityBenchmark
			.thumbnail(Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_REDUCED_COLOR_8), 64), truth);
		assertThat(libjpegOff).isBetween(1.0, 1.5);
		assertThat(oursOff).isLessThan(libjpegOff + 1.0).isLessThan(2.2);
	}

	@ParameterizedTest
	@CsvSource({ "1, 8", "7, 8", "1, 4", "7, 4" })
	void restartMarkersChangeNothing(int interval, int reduction) {
		Mat photo = photo(CvType.CV_8UC3);
		byte[] plain = encode(photo, SAMPLING_420, 0);
		byte[] restarting = encode(photo, SAMPLING_420, interval);
		assertThat(restarting).isNotEqualTo(plain);

		assertThat(ReducedJpegDecoder.decode(restarting, restarting.length, reduction).bgr())
			.isEqualTo(ReducedJpegDecoder.decode(plain, plain.length, reduction).bgr());
	}

	/** Its callers pass a reused buffer whose bytes after the file's length belong to earlier, larger files. */
	@ParameterizedTest
	@ValueSource(ints = { 8, 4 })
	void readsOnlyTheGivenLength(int reduction) {
		byte[] jpeg = encode(photo(CvType.CV_8UC3), SAMPLING_420, 0);
		int cut = jpeg.length / 2;
		assertThat(ReducedJpegDecoder.decode(jpeg, jpeg.length, reduction)).isNotNull();

		// The rest of the picture lies in the buffer, but past the length: the data ended early.
		assertThat(ReducedJpegDecoder.decode(jpeg, cut, reduction)).isNull();
	}

	@ParameterizedTest
	@ValueSource(ints = { 8, 4 })
	void leavesFramesItDoesNotRead(int reduction) {
		Mat photo = photo(CvType.CV_8UC3);
		MatOfByte progressive = new MatOfByte();
		Imgcodecs.imencode(".jpg", photo, progressive, new MatOfInt(Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1,
				Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422));
		byte[] fourOneOne = encode(photo, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_411, 0);
		byte[] cmyk = TestImages.resource("cmyk.jpg");
		byte[] png = TestImages.png(64, 64);

		if (reduction == 4) {
			// 4:2:2 at 1/4, progressive or not (at 1/8 it reads; ProgressiveJpegTests).
			assertThat(ReducedJpegDecoder.decode(progressive.toArray(), (int) progressive.total(), reduction)).isNull();
		}
		assertThat(ReducedJpegDecoder.decode(fourOneOne, fourOneOne.length, reduction)).isNull();
		assertThat(ReducedJpegDecoder.decode(cmyk, cmyk.length, reduction)).isNull();
		assertThat(ReducedJpegDecoder.decode(png, png.length, reduction)).isNull();
	}

	@ParameterizedTest
	@ValueSource(ints = { 8, 4 })
	void dataThatEndsEarlyIsLeftToTheFullDecoder(int reduction) {
		byte[] jpeg = encode(photo(CvType.CV_8UC3), SAMPLING_420, 0);
		byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2 + 2);
		cut[cut.length - 2] = (byte) 0xFF;
		cut[cut.length - 1] = (byte) 0xD9;

		assertThat(ReducedJpegDecoder.decode(cut, cut.length, reduction)).isNull();
	}

	@ParameterizedTest
	@ValueSource(ints = { 8, 4 })
	void aHeaderClaimingMoreRowsThanTheDataHoldsIsLeftToTheFullDecoder(int reduction) {
		byte[] jpeg = encode(photo(CvType.CV_8UC3), SAMPLING_420, 0);
		int frame = 0;
		while (!(jpeg[frame] == (byte) 0xFF && jpeg[frame + 1] == (byte) 0xC0)) {
			frame++;
		}
		jpeg[frame + 5] = (byte) (30000 >> 8); // height, after marker, length and precision
		jpeg[frame + 6] = (byte) (30000 & 0xFF);

		assertThat(ReducedJpegDecoder.decode(jpeg, jpeg.length, reduction)).isNull();
	}

	@ParameterizedTest
	@ValueSource(ints = { 8, 4 })
	void aMissingRestartMarkerIsLeftToTheFullDecoder(int reduction) {
		byte[] jpeg = encode(photo(CvType.CV_8UC3), SAMPLING_420, 7);
		int marker = lastRestartMarker(jpeg);
		byte[] without = new byte[jpeg.length - 2];
		System.arraycopy(jpeg, 0, without, 0, marker);
		System.arraycopy(jpeg, marker + 2, without, marker, jpeg.length - marker - 2);

		assertThat(ReducedJpegDecoder.decode(without, without.length, reduction)).isNull();
	}

	/** Hostile or damaged files: whatever the bytes, a picture of the stated size or null, never an exception. */
	@ParameterizedTest
	@ValueSource(ints = { 8, 4 })
	void damagedBytesGiveAPictureOrNullNeverAnError(int reduction) {
		byte[] jpeg = encode(photo(CvType.CV_8UC3), SAMPLING_420, 3);
		Random random = new Random(42);
		int pictures = 0;
		int refused = 0;
		for (int attempt = 0; attempt < 400; attempt++) {
			byte[] damaged = jpeg.clone();
			for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
				// Headers (the first 700 bytes) as often as entropy-coded data.
				int at = (attempt % 2 == 0) ? random.nextInt(700) : random.nextInt(damaged.length);
				damaged[at] = (byte) random.nextInt(256);
			}
			ReducedJpegDecoder.Reduced picture = ReducedJpegDecoder.decode(damaged, damaged.length, reduction);
			if (picture == null) {
				refused++;
			}
			else {
				assertThat(picture.bgr()).hasSize(picture.width() * picture.height() * 3);
				pictures++;
			}
		}
		// Both outcomes happen, so the loop did exercise the checks.
		assertThat(pictures).isPositive();
		assertThat(refused).isPositive();
	}

	/** A picture like a photo for the encoder: smooth colour, edges and grain, not whole blocks in size. */
	private static Mat photo(int type) {
		BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
		Random random = new Random(1);
		for (int y = 0; y < HEIGHT; y++) {
			for (int x = 0; x < WIDTH; x++) {
				int grain = random.nextInt(21) - 10;
				boolean disc = (x - 600) * (x - 600) + (y - 300) * (y - 300) < 150 * 150;
				int r = disc ? 230 : 255 * x / WIDTH;
				int g = disc ? 40 : 255 * y / HEIGHT;
				int b = (x / 100 % 2 == 0) ? 60 : 180;
				image.setRGB(x, y, clamp(r + grain) << 16 | clamp(g + grain) << 8 | clamp(b + grain));
			}
		}
		byte[] bgr = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
		Mat colour = new Mat(HEIGHT, WIDTH, CvType.CV_8UC3);
		colour.put(0, 0, bgr);
		if (type == CvType.CV_8UC3) {
			return colour;
		}
		Mat grey = new Mat();
		Imgproc.cvtColor(colour, grey, Imgproc.COLOR_BGR2GRAY);
		return grey;
	}

	private static int clamp(int value) {
		return Math.max(0, Math.min(255, value));
	}

	private static byte[] encode(Mat image, int sampling, int restartInterval) {
		MatOfByte out = new MatOfByte();
		MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR,
				sampling, Imgcodecs.IMWRITE_JPEG_RST_INTERVAL, restartInterval);
		assertThat(Imgcodecs.imencode(".jpg", image, out, params)).isTrue();
		return out.toArray();
	}

	/** libjpeg's decode (through OpenCV) at the scale of {@code reducedColour}, BGR. */
	static byte[] libjpeg(byte[] jpeg, int reducedColour) {
		Mat decoded = Imgcodecs.imdecode(new MatOfByte(jpeg), reducedColour | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
		byte[] bgr = new byte[(int) decoded.total() * 3];
		decoded.get(0, 0, bgr);
		return bgr;
	}

	private static int lastRestartMarker(byte[] jpeg) {
		for (int i = jpeg.length - 2; i > 0; i--) {
			if (jpeg[i] == (byte) 0xFF && (jpeg[i + 1] & 0xF8) == 0xD0) {
				return i;
			}
		}
		throw new AssertionError("no restart marker");
	}

}
