package dev.avatars.jpeg;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.avatars.TestImages;
import dev.avatars.fuzz.BoundedRunner;
import dev.avatars.fuzz.FuzzSeeds;
import dev.avatars.fuzz.FuzzSeeds.Seed;
import dev.avatars.fuzz.Mutator;
import dev.avatars.thumbnail.OpenCvForTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded mutations of real JPEGs through {@link ReducedJpegDecoder} at 1/8 and 1/4. Its contract: a picture of
 * the stated size, rounded up, or {@code null} (the file is left to libjpeg or ImageIO); never an exception, and
 * each file within {@link #LIMIT_MILLIS} of CPU. The seeds are the JPEGs the upload meets: the JDK's encoder
 * (baseline 4:2:0, progressive, grey, restart markers), libjpeg-turbo's through OpenCV (4:4:4, 4:2:2, 4:2:0,
 * grey, restart markers, progressive, sizes that are not whole blocks), progressive files with jpegtran's scan
 * scripts (DC and AC successive approximation, restarts), read at 1/4 as at 1/8 unless 4:2:2, the shipped test
 * photos (EXIF, GPS, CMYK), and seeds
 * with EXIF orientation and an ICC profile. Mutant {@code n} is {@code new Mutator(seeds()).mutant(n)}: bit flips,
 * edge values, truncation, JPEG segments copied or dropped, segment lengths and SOF dimensions changed.
 */
class ReducedJpegDecoderFuzzTests {

	static final int MUTANTS = 5000;

	/** Generous: a seed decodes in about a millisecond; a loop that does not advance would take forever. */
	private static final long LIMIT_MILLIS = 2000;

	@BeforeAll
	static void nativeLibraryLoads() {
		assertThat(OpenCvForTests.load()).as("why OpenCV does not load").isNull();
	}

	private static List<Seed> made;

	/** Made once per JVM. */
	static synchronized List<Seed> seeds() {
		if (made == null) {
			made = List.copyOf(makeSeeds());
		}
		return made;
	}

	private static List<Seed> makeSeeds() {
		List<Seed> seeds = new ArrayList<>();
		for (String name : List.of("quadrants.jpg", "orientation-6.jpg", "gps.jpg", "cmyk.jpg")) {
			seeds.add(new Seed(name, TestImages.resource(name)));
		}
		BufferedImage picture = FuzzSeeds.drawing(203, 149, false);
		seeds.add(new Seed("jdk-baseline-420.jpg", FuzzSeeds.jpeg(picture, false, 0)));
		seeds.add(new Seed("jdk-progressive.jpg", FuzzSeeds.jpeg(picture, true, 0)));
		seeds.add(new Seed("jdk-restarts.jpg", FuzzSeeds.jpeg(picture, false, 3)));
		byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
		seeds.add(new Seed("jdk-exif6-icc.jpg",
				TestImages.withIccProfile(TestImages.withExifOrientation(FuzzSeeds.jpeg(picture, false, 0), 6), srgb)));
		Mat colour = mat(picture);
		Mat grey = new Mat();
		Imgproc.cvtColor(colour, grey, Imgproc.COLOR_BGR2GRAY);
		seeds.add(new Seed("libjpeg-444.jpg", libjpeg(colour, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444, 0)));
		seeds.add(new Seed("libjpeg-422.jpg", libjpeg(colour, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422, 0)));
		seeds.add(new Seed("libjpeg-420-restarts.jpg", libjpeg(colour, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420, 2)));
		seeds.add(new Seed("libjpeg-444-restarts.jpg", libjpeg(colour, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444, 5)));
		seeds.add(new Seed("libjpeg-grey.jpg", libjpeg(grey, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420, 0)));
		seeds.add(new Seed("libjpeg-grey-restarts.jpg", libjpeg(grey, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420, 1)));
		MatOfByte progressive = new MatOfByte();
		Imgcodecs.imencode(".jpg", colour, progressive, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90,
				Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444,
				Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1));
		seeds.add(new Seed("libjpeg-progressive-444.jpg", progressive.toArray()));
		// jpegtran's scan scripts: DC split in three steps and per component, restart markers in every scan; AC
		// in four and six approximation steps with odd bands, restarts every 5 MCUs and every MCU.
		for (String name : List.of("dc-mixed-422.jpg", "dc-per-component-420.jpg", "dc-two-steps-restart-420.jpg",
				"ac-four-steps-restart-5b-420.jpg", "ac-deep-restart-1b-444.jpg", "ac-bands-420.jpg")) {
			seeds.add(new Seed("progressive/" + name, TestImages.resource("progressive/" + name)));
		}
		return seeds;
	}

	private static Mat mat(BufferedImage picture) {
		Mat mat = new Mat(picture.getHeight(), picture.getWidth(), CvType.CV_8UC3);
		byte[] bgr = new byte[picture.getWidth() * picture.getHeight() * 3];
		int at = 0;
		for (int y = 0; y < picture.getHeight(); y++) {
			for (int x = 0; x < picture.getWidth(); x++) {
				int rgb = picture.getRGB(x, y);
				bgr[at++] = (byte) rgb;
				bgr[at++] = (byte) (rgb >> 8);
				bgr[at++] = (byte) (rgb >> 16);
			}
		}
		mat.put(0, 0, bgr);
		return mat;
	}

	private static byte[] libjpeg(Mat image, int sampling, int restartInterval) {
		MatOfByte out = new MatOfByte();
		MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR,
				sampling, Imgcodecs.IMWRITE_JPEG_RST_INTERVAL, restartInterval);
		assertThat(Imgcodecs.imencode(".jpg", image, out, params)).isTrue();
		return out.toArray();
	}

	/** The mutants start from pictures the decoder reads, and from some it leaves to others (CMYK; 4:2:2 at 1/4). */
	@Test
	void theSeedsAreReadAtTheirSizeOrLeftAsTheyShouldBe() {
		Map<String, String> outcomes = new TreeMap<>();
		for (Seed seed : seeds()) {
			int[] size = JpegSize.of(seed.bytes());
			for (int reduction : new int[] { 8, 4 }) {
				ReducedJpegDecoder.Reduced reduced = ReducedJpegDecoder.decode(seed.bytes(), seed.bytes().length,
						reduction);
				outcomes.put(seed.name() + " 1/" + reduction, (reduced == null) ? "left"
						: reduced.width() + "x" + reduced.height() + " of " + size[0] + "x" + size[1]);
			}
		}
		Map<String, String> expected = new TreeMap<>();
		for (Seed seed : seeds()) {
			int[] size = JpegSize.of(seed.bytes());
			boolean left = seed.name().contains("cmyk");
			for (int reduction : new int[] { 8, 4 }) {
				// At 1/4 only luma sampled 1×1 or 2×2 (not 4:2:2), baseline or progressive.
				boolean leftHere = left || (reduction == 4 && seed.name().contains("422"));
				expected.put(seed.name() + " 1/" + reduction, leftHere ? "left"
						: ceil(size[0], reduction) + "x" + ceil(size[1], reduction) + " of " + size[0] + "x" + size[1]);
			}
		}
		assertThat(outcomes).isEqualTo(expected);
	}

	@Test
	void mutatedJpegsGiveAPictureOfTheirSizeOrNullWithinTheLimit() throws Exception {
		Mutator mutator = new Mutator(seeds());
		Map<String, Integer> counts = new TreeMap<>();
		// Progressive seeds' mutants at 1/4, where every scan is decoded: how many, and how many gave pictures.
		int[] progressiveQuarter = new int[2];
		List<String> findings = new ArrayList<>();
		long started = System.nanoTime();
		try (BoundedRunner runner = new BoundedRunner(LIMIT_MILLIS)) {
			for (long n = 1; n <= MUTANTS; n++) {
				Mutator.Mutant mutant = mutator.mutant(n);
				byte[] bytes = mutant.bytes();
				int[] size = JpegSize.of(bytes);
				for (int reduction : new int[] { 8, 4 }) {
					BoundedRunner.Run<ReducedJpegDecoder.Reduced> run = runner
						.run(() -> ReducedJpegDecoder.decode(bytes, bytes.length, reduction));
					String problem = problem(run, size, reduction);
					String outcome = (problem != null) ? "finding" : (run.value() == null) ? "left" : "pictures";
					counts.merge(outcome, 1, Integer::sum);
					if (reduction == 4 && readAtOneQuarterWhenProgressive(mutant.seed())) {
						progressiveQuarter[0]++;
						progressiveQuarter[1] += (run.value() != null) ? 1 : 0;
					}
					if (problem != null) {
						findings.add("mutant " + n + " (" + mutant.seed().name() + ": " + mutant.mutation() + ") at 1/"
								+ reduction + ": " + problem);
					}
					if (run.hang() != null) {
						n = MUTANTS; // the hung thread cannot be stopped: it would slow every input after it
						break;
					}
				}
			}
		}
		int decodes = counts.values().stream().mapToInt(Integer::intValue).sum();
		System.out.printf("ReducedJpegDecoder fuzz: %d decodes (mutants at 1/8 and 1/4), %s, %.1f s%n", decodes, counts,
				(System.nanoTime() - started) / 1e9);
		assertThat(findings).as("findings among %s (new Mutator(seeds()).mutant(N) makes the file)", counts).isEmpty();
		// Not a vacuous run: the mutants reach both the decoder's pictures and its refusals.
		assertThat(counts.getOrDefault("pictures", 0)).as(counts.toString()).isGreaterThan(MUTANTS / 4);
		assertThat(counts.getOrDefault("left", 0)).as(counts.toString()).isGreaterThan(MUTANTS / 4);
		// And progressive files are decoded at 1/4, every scan, not only refused there (baseline seeds' mutants
		// give a picture at 1/4 in about a fifth of the decodes, progressive ones at 1/8 in about a quarter).
		assertThat(progressiveQuarter[1]).as("pictures among %d progressive mutants at 1/4", progressiveQuarter[0])
			.isGreaterThan(progressiveQuarter[0] / 10);
	}

	/** A progressive seed the decoder reads at 1/4 (not 4:2:2). */
	private static boolean readAtOneQuarterWhenProgressive(Seed seed) {
		return seed.name().contains("progressive") && !seed.name().contains("422");
	}

	/** What is wrong with the run's outcome, or null when it is a picture of the stated size or null. */
	private static String problem(BoundedRunner.Run<ReducedJpegDecoder.Reduced> run, int[] size, int reduction) {
		if (run.hang() != null) {
			return "hang: " + run.hang();
		}
		if (run.thrown() != null) {
			return "threw " + run.thrown();
		}
		ReducedJpegDecoder.Reduced reduced = run.value();
		if (reduced == null) {
			return null;
		}
		if (size == null) {
			return "a picture from a file with no frame header";
		}
		if (reduced.width() != ceil(size[0], reduction) || reduced.height() != ceil(size[1], reduction)) {
			return "a " + reduced.width() + "x" + reduced.height() + " picture of a " + size[0] + "x" + size[1]
					+ " frame";
		}
		if (reduced.bgr().length != reduced.width() * reduced.height() * 3) {
			return reduced.bgr().length + " bytes for " + reduced.width() + "x" + reduced.height();
		}
		return null;
	}

	private static int ceil(int value, int divisor) {
		return (value + divisor - 1) / divisor;
	}

	/** The first frame header's width and height, read independently of the decoder. */
	static final class JpegSize {

		private JpegSize() {
		}

		static int[] of(byte[] jpeg) {
			int at = 2;
			while (at + 4 <= jpeg.length) {
				if ((jpeg[at] & 0xFF) != 0xFF) {
					return null;
				}
				int marker = jpeg[at + 1] & 0xFF;
				if (marker == 0xFF) {
					at++;
					continue;
				}
				int length = (jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF;
				if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
					if (at + 9 > jpeg.length) {
						return null;
					}
					int height = (jpeg[at + 5] & 0xFF) << 8 | jpeg[at + 6] & 0xFF;
					int width = (jpeg[at + 7] & 0xFF) << 8 | jpeg[at + 8] & 0xFF;
					return new int[] { width, height };
				}
				if (marker == 0xDA || marker == 0xD9) {
					return null;
				}
				at += 2 + length;
			}
			return null;
		}

	}

}
