package dev.avatars.thumbnail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import javax.imageio.ImageIO;

import dev.avatars.TestImages;
import dev.avatars.jpeg.ReducedJpegDecoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Progressive photos on both paths: decoded at 1/8 and 1/4 by the reduced decoder, their thumbnails are their
 * baseline originals'; with damage in any of their scans, a thumbnail or a reason, never an error.
 */
class ProgressivePhotoTests {

	private static final String[] SCRIPTS = { "dc-interleaved", "dc-per-component", "dc-two-steps",
			"dc-three-steps", "dc-mixed", "dc-two-steps-restart" };

	/** AC successive approximation with restarts every 5 MCUs and every MCU, and jpegtran's own progression. */
	private static final String[] AC_SCRIPTS = { "ac-four-steps-restart-5b", "ac-deep-restart-1b", "default" };

	private static final List<Integer> SIZES = List.of(256, 128, 64);

	/**
	 * The thumbnails of libjpeg's 1/4 and of the reduced decoder's 1/4 of the same file, made as the fast path
	 * makes them, were at most 10 levels apart (JPEG-encoded again, a value rounded the other way may tip a
	 * coefficient) and 0.32 on average (the 64 px of the 4:2:0 photo below; 0.08 to 0.17 for the others).
	 */
	private static final int LARGEST_OFF = 16;

	private static final double MEAN_OFF = 0.6;

	/** On a 1600×1200 photo: a 1080 px square, 135 px at 1/8 (too few for 256), 270 px at 1/4. */
	private static final Crop QUARTER_CROP = new Crop(0.1, 0.05, 0.9);

	@TempDir
	Path dir;

	@BeforeAll
	static void nativeLibraryLoads() {
		assertThat(OpenCvForTests.load()).as("why OpenCV does not load").isNull();
	}

	/**
	 * The fast path decodes a progressive photo at 1/4 with the reduced decoder, and makes of it exactly what it
	 * makes of the baseline original's pixels from that decoder. The baseline original itself is decoded there
	 * by libjpeg, whose 1/4 rounds a few values the other way: its thumbnails are the same within that.
	 */
	@ParameterizedTest
	@CsvSource({ "420", "444" })
	void onTheFastPathAProgressivePhotoAtOneQuarterGivesItsBaselineOriginalsThumbnails(String sampling)
			throws Exception {
		Mat photo = photo(1600, 1200);
		int factor = sampling.equals("420") ? Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420
				: Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444;
		byte[] baseline = encode(photo, factor, false);
		Path progressive = Files.write(this.dir.resolve("progressive.jpg"), encode(photo, factor, true));
		assertThat(Photo.read(progressive, QUARTER_CROP).reduction(256)).as("the scale").isEqualTo(4);
		List<String> asked = new ArrayList<>();

		List<Thumbnail> thumbnails = new Thumbnailer(SIZES, 0.85f, Thumbnailer.Engine.AUTO, 40_000_000,
				recording(asked)).render(progressive, QUARTER_CROP);

		assertThat(asked).as("what the fast path asked the reduced decoder").containsExactly("1/4: a picture");
		assertThat(digests(thumbnails)).as("against the baseline original's pixels")
			.isEqualTo(digests(new Thumbnailer(SIZES, 0.85f, Thumbnailer.Engine.AUTO, 40_000_000,
					baselineInstead(baseline)).render(progressive, QUARTER_CROP)));
		Path original = Files.write(this.dir.resolve("baseline.jpg"), baseline);
		List<Thumbnail> originals = new Thumbnailer(SIZES, 0.85f, Thumbnailer.Engine.AUTO, 40_000_000)
			.render(original, QUARTER_CROP);
		for (int i = 0; i < SIZES.size(); i++) {
			int[] off = difference(thumbnails.get(i), originals.get(i));
			assertThat(off[0]).as("size %d: largest difference from the baseline original's", SIZES.get(i))
				.isLessThanOrEqualTo(LARGEST_OFF);
			assertThat(off[1] / 1000.0).as("size %d: mean difference", SIZES.get(i)).isLessThan(MEAN_OFF);
		}
	}

	/** The Java path decodes both at 1/4 with the reduced decoder: the same thumbnails, byte for byte. */
	@ParameterizedTest
	@CsvSource({ "420", "444" })
	void onTheJavaPathAProgressivePhotoAtOneQuarterGivesItsBaselineOriginalsThumbnails(String sampling)
			throws Exception {
		Mat photo = photo(1600, 1200);
		int factor = sampling.equals("420") ? Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420
				: Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444;
		Path original = Files.write(this.dir.resolve("baseline.jpg"), encode(photo, factor, false));
		Path progressive = Files.write(this.dir.resolve("progressive.jpg"), encode(photo, factor, true));
		List<String> asked = new ArrayList<>();

		List<Thumbnail> thumbnails = new Thumbnailer(SIZES, 0.85f, Thumbnailer.Engine.JAVA, 40_000_000,
				recording(asked)).render(progressive, QUARTER_CROP);

		assertThat(asked).as("what the Java path asked the reduced decoder").containsExactly("1/4: a picture");
		assertThat(digests(thumbnails)).isEqualTo(digests(
				new Thumbnailer(SIZES, 0.85f, Thumbnailer.Engine.JAVA, 40_000_000).render(original, QUARTER_CROP)));
	}

	/**
	 * jpegtran's scripts (AC in four and six approximation steps, restarts every 5 MCUs and every MCU, its own
	 * progression) on the 257×193 fixtures, 48 px thumbnails of the 193 px centre square: decoded at 1/4, on both
	 * paths the thumbnails of the baseline original's pixels.
	 */
	@ParameterizedTest
	@CsvSource({ "420, AUTO", "444, AUTO", "420, JAVA", "444, JAVA" })
	void jpegtransScriptsAtOneQuarterGiveTheBaselineOriginalsThumbnails(String sampling, Thumbnailer.Engine engine)
			throws Exception {
		byte[] baseline = TestImages.resource("progressive/photo-" + sampling + ".jpg");
		Path original = Files.write(this.dir.resolve("photo.jpg"), baseline);
		List<Integer> sizes = List.of(48);
		for (String script : AC_SCRIPTS) {
			Path file = Files.write(this.dir.resolve(script + ".jpg"),
					TestImages.resource("progressive/" + script + "-" + sampling + ".jpg"));
			assertThat(Photo.read(file, null).reduction(48)).as("the scale").isEqualTo(4);
			List<String> asked = new ArrayList<>();

			List<Thumbnail> thumbnails = new Thumbnailer(sizes, 0.85f, engine, 40_000_000, recording(asked))
				.render(file, null);

			assertThat(asked).as(script).containsExactly("1/4: a picture");
			// The fast path gives a baseline JPEG at 1/4 to libjpeg: the progressive one is compared with what it
			// makes of the baseline original's pixels from the reduced decoder.
			List<Thumbnail> expected = (engine == Thumbnailer.Engine.AUTO)
					? new Thumbnailer(sizes, 0.85f, engine, 40_000_000, baselineInstead(baseline)).render(file, null)
					: new Thumbnailer(sizes, 0.85f, engine, 40_000_000).render(original, null);
			assertThat(digests(thumbnails)).as(script).isEqualTo(digests(expected));
		}
	}

	@Test
	void anUndamagedProgressivePhotoIsDecodedAtOneEighthOnTheFastPath() throws Exception {
		Path file = Files.write(this.dir.resolve("p.jpg"), TestImages.resource("progressive/dc-mixed-422.jpg"));
		Photo photo = Photo.read(file, null);
		assertThat(photo).isNotNull();
		// 193 px high: 1/8 leaves 24 px on the crop's side, enough for 16.
		assertThat(photo.reduction(16)).isEqualTo(8);
		assertThat(photo.decoded(16, JpegReducer.of(true))).isNotNull();
	}

	/** At 1/8 (16 px from the 193 px square), where only the DC scans are decoded: a thumbnail or a reason. */
	@ParameterizedTest
	@EnumSource(Thumbnailer.Engine.class)
	void damageInsideAnyScanGivesAThumbnailOrAReason(Thumbnailer.Engine engine) throws Exception {
		assertThat(renderDamaged(engine, 16, Arrays.stream(SCRIPTS).map((script) -> script + "-420").toList()))
			.as("thumbnails").isPositive();
	}

	/** At 1/4 (48 px from the 193 px square), where every scan is decoded: a thumbnail or a reason. */
	@ParameterizedTest
	@EnumSource(Thumbnailer.Engine.class)
	void damageInsideAnyScanAtOneQuarterGivesAThumbnailOrAReason(Thumbnailer.Engine engine) throws Exception {
		assertThat(renderDamaged(engine, 48, List.of("ac-four-steps-420", "ac-deep-restart-1b-444", "ac-bands-420")))
			.as("thumbnails").isPositive();
	}

	/**
	 * Renders each fixture damaged three ways inside each of its scans: a thumbnail of {@code size} or
	 * {@link UndecodableImageException} with a reason, never anything else.
	 *
	 * @return how many gave a thumbnail
	 */
	private int renderDamaged(Thumbnailer.Engine engine, int size, List<String> fixtures) throws Exception {
		Thumbnailer thumbnailer = new Thumbnailer(List.of(size), 0.85f, engine, 40_000_000);
		int thumbnails = 0;
		for (String name : fixtures) {
			byte[] jpeg = TestImages.resource("progressive/" + name + ".jpg");
			List<int[]> scans = TestImages.jpegScans(jpeg);
			for (int s = 0; s < scans.size(); s++) {
				int[] scan = scans.get(s);
				for (int variant = 0; variant < 3; variant++) {
					byte[] damaged = jpeg.clone();
					int length = scan[1] - scan[0];
					damaged[scan[0] + length * variant / 3] ^= (byte) 0x5A;
					damaged[scan[0] + length / 2] = (byte) ((variant == 2) ? 0xFF : 0x00);
					Path file = Files.write(this.dir.resolve(name + "-" + s + "-" + variant + ".jpg"), damaged);
					try {
						List<Thumbnail> rendered = thumbnailer.render(file, null);
						assertThat(rendered).hasSize(1);
						assertThat(rendered.get(0).size()).isEqualTo(size);
						thumbnails++;
					}
					catch (UndecodableImageException ex) {
						assertThat(ex.getMessage()).isNotBlank();
					}
				}
			}
		}
		return thumbnails;
	}

	/** The reduced decoder, noting what it was asked and whether it gave a picture. */
	private static JpegReducer recording(List<String> asked) {
		return (data, length, reduction) -> {
			ReducedJpegDecoder.Reduced reduced = ReducedJpegDecoder.decode(data, length, reduction);
			asked.add("1/" + reduction + ": " + ((reduced != null) ? "a picture" : "null"));
			return reduced;
		};
	}

	/** A decoder that answers, for whatever file, what the reduced decoder makes of {@code baseline}. */
	private static JpegReducer baselineInstead(byte[] baseline) {
		return (data, length, reduction) -> ReducedJpegDecoder.decode(baseline, baseline.length, reduction);
	}

	/** The thumbnails' SHA-256s: equal for the same bytes, short in a failure's message. */
	private static List<String> digests(List<Thumbnail> thumbnails) throws Exception {
		List<String> digests = new ArrayList<>();
		for (Thumbnail thumbnail : thumbnails) {
			digests.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(thumbnail.bytes())));
		}
		return digests;
	}

	/** The largest and the mean (in thousandths) difference per channel between two thumbnails' pixels. */
	private static int[] difference(Thumbnail a, Thumbnail b) throws Exception {
		BufferedImage p = ImageIO.read(new ByteArrayInputStream(a.bytes()));
		BufferedImage q = ImageIO.read(new ByteArrayInputStream(b.bytes()));
		assertThat(p.getWidth()).isEqualTo(q.getWidth());
		assertThat(p.getHeight()).isEqualTo(q.getHeight());
		int worst = 0;
		long sum = 0;
		for (int y = 0; y < p.getHeight(); y++) {
			for (int x = 0; x < p.getWidth(); x++) {
				int u = p.getRGB(x, y);
				int v = q.getRGB(x, y);
				for (int shift = 0; shift < 24; shift += 8) {
					int off = Math.abs(((u >> shift) & 0xFF) - ((v >> shift) & 0xFF));
					worst = Math.max(worst, off);
					sum += off;
				}
			}
		}
		return new int[] { worst, (int) (sum * 1000 / (3L * p.getWidth() * p.getHeight())) };
	}

	/** Smooth colour, a disc and stripes with grain, as a photo; sizes not whole MCUs are the fixtures' part. */
	private static Mat photo(int width, int height) {
		Mat colour = new Mat(height, width, CvType.CV_8UC3, new Scalar(60, 120, 200));
		Mat noise = new Mat(height, width, CvType.CV_8UC3);
		Core.setRNGSeed(17);
		Core.randu(noise, 0, 40);
		Core.add(colour, noise, colour);
		Imgproc.circle(colour, new Point(width * 0.6, height * 0.4), height / 5, new Scalar(40, 40, 230), -1);
		for (int x = 0; x < width; x += 160) {
			Imgproc.rectangle(colour, new Point(x, 0), new Point(x + 70, height), new Scalar(180, 60, 60), -1);
		}
		Imgproc.GaussianBlur(colour, colour, new org.opencv.core.Size(0, 0), 1.5);
		noise.release();
		return colour;
	}

	private static byte[] encode(Mat image, int sampling, boolean progressive) {
		MatOfByte out = new MatOfByte();
		MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR,
				sampling, Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, progressive ? 1 : 0);
		assertThat(Imgcodecs.imencode(".jpg", image, out, params)).isTrue();
		return out.toArray();
	}

}
