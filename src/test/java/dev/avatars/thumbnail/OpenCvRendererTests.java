package dev.avatars.thumbnail;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.avatars.TestImages;
import dev.avatars.jpeg.ReducedJpegDecoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which files the fast path takes, and which it leaves to the pure-Java path (by returning null). */
class OpenCvRendererTests {

	@TempDir
	Path dir;

	private OpenCvRenderer renderer;

	@BeforeAll
	static void nativeLibraryLoads() {
		assertThat(NativeOpenCv.available()).as("OpenCV loads: %s", NativeOpenCv.failure()).isTrue();
	}

	@org.junit.jupiter.api.BeforeEach
	void renderer() {
		this.renderer = new OpenCvRenderer(List.of(256, 128, 64), 0.85f, JpegReducer.of(true));
	}

	@ParameterizedTest
	@ValueSource(strings = { "quadrants.jpg", "orientation-6.jpg", "gps.jpg", "quadrants.webp" })
	void takesOrdinaryPhotos(String name) throws Exception {
		assertThat(render(fixture(name), null)).extracting(Thumbnail::size).containsExactly(256, 128, 64);
	}

	@Test
	void takesAPhotoOfMoreThanAMegabyte() throws Exception {
		byte[] jpeg = TestImages.encode(TestImages.noise(1600, 1200), "jpg");
		assertThat(jpeg.length).isGreaterThan(1_000_000);
		Path file = Files.write(this.dir.resolve("large.jpg"), jpeg);

		assertThat(render(file, null)).hasSize(3);
	}

	@Test
	void takesAnOpaqueEightBitPng() throws Exception {
		Path file = Files.write(this.dir.resolve("rgb.png"), TestImages.png(300, 200));
		assertThat(render(file, null)).hasSize(3);
	}

	@ParameterizedTest
	@ValueSource(strings = { "cmyk.jpg", "sixteen-bit.png", "palette.png", "animated.gif", "alpha.png" })
	void leavesWhatNeedsTheCarefulPath(String name) throws Exception {
		assertThat(render(fixture(name), null)).isNull();
	}

	@Test
	void leavesATruncatedJpegSoThePureJavaPathCanSaySo() throws Exception {
		Path file = Files.write(this.dir.resolve("cut.jpg"), TestImages.truncatedButWithReadableHeader());
		assertThat(render(file, null)).isNull();
	}

	@Test
	void leavesAJpegWithAProfileOfAnotherColourSpace() throws Exception {
		byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();
		Path file = Files.write(this.dir.resolve("icc.jpg"),
				TestImages.withIccProfile(TestImages.jpeg(300, 200), profile));
		assertThat(render(file, null)).isNull();
	}

	@Test
	void leavesGarbageAndHostileHeaders() throws Exception {
		assertThat(render(Files.write(this.dir.resolve("x.png"), "not an image".getBytes()), null))
			.isNull();
		// 30 megapixels decoded whole would cost 90 MB of native memory; the Java path subsamples instead.
		assertThat(render(Files.write(this.dir.resolve("big.png"), TestImages.pngClaiming(6000, 5000)),
				null))
			.isNull();
	}

	@Test
	void theLoadedLibraryLeavesNoCopyInTheTemporaryFolder() {
		// Deleted right after loading, so a killed process cannot leave its 65 MB behind either. Only this
		// process's copy is checked: builds running beside this one share the folder.
		assertThat(NativeOpenCv.available()).isTrue();
		assertThat(NativeOpenCv.temporaryCopy()).isNotNull().doesNotExist();
	}

	@ParameterizedTest
	@CsvSource({ "3000, 8", "2048, 8", "2047, 4", "1024, 4", "1023, 2", "512, 2", "511, 1", "100, 1" })
	void decodesAtTheSmallestReductionThatKeepsTheLargestSizeOnTheCropSide(int cropSide, int reduction) {
		assertThat(Photo.reduction(cropSide, 256)).isEqualTo(reduction);
	}

	/** Both paths take our decoder wherever the scale is 1/8 or 1/4 (the fast path only at 1/8), nowhere else. */
	@ParameterizedTest
	@CsvSource({ "64, 125, 100", "128, 250, 200", "256, 0, 0" })
	void ourDecoderServesTheScalesItDecodes(int largest, int width, int height) throws Exception {
		Path file = Files.write(this.dir.resolve("photo.jpg"), TestImages.jpeg(1000, 800));

		ReducedJpegDecoder.Reduced decoded = Photo.read(file, null).decoded(largest, JpegReducer.of(true));

		if (width == 0) {
			assertThat(decoded).as("at 1/2").isNull();
		}
		else {
			assertThat(decoded).as("decoded by ours").isNotNull();
			assertThat(decoded.width()).isEqualTo(width);
			assertThat(decoded.height()).isEqualTo(height);
		}
	}

	/** What the engine does: the file read as a photo, and the fast path's answer; null when it leaves the file. */
	private List<Thumbnail> render(Path file, Crop crop) throws Exception {
		Photo photo = Photo.read(file, crop);
		return (photo != null) ? this.renderer.render(photo) : null;
	}

	private Path fixture(String name) throws Exception {
		return Files.write(this.dir.resolve(name), TestImages.resource(name));
	}


	@ParameterizedTest
	@ValueSource(ints = { 300, 375 })
	void shrinksASmallRatioBicubicWhichKeepsDetailTheAreaFilterBlurs(int from) {
		// A 2 MP photo's square at 1/4 (300 px) and a 12 MP photo's at 1/8 (375 px) to 256: a pattern of 7 px
		// stripes, against its exact samples.
		int to = 256;
		org.opencv.core.Mat square = new org.opencv.core.Mat(from, from, org.opencv.core.CvType.CV_8UC1);
		byte[] row = new byte[from];
		for (int x = 0; x < from; x++) {
			row[x] = (byte) Math.round(stripes(x));
		}
		for (int y = 0; y < from; y++) {
			square.put(y, 0, row);
		}
		int chosen = OpenCvRenderer.interpolation(from, to);
		int other = (chosen == org.opencv.imgproc.Imgproc.INTER_AREA) ? org.opencv.imgproc.Imgproc.INTER_CUBIC
				: org.opencv.imgproc.Imgproc.INTER_AREA;

		assertThat(chosen).isEqualTo(org.opencv.imgproc.Imgproc.INTER_CUBIC);
		assertThat(stripeError(square, to, chosen)).isLessThan(stripeError(square, to, other) / 2);
		square.release();
	}

	@Test
	void shrinksByHalfOrMoreWithTheAreaFilter() {
		// From 1.5 times on: a 24 MP photo's 500 px square at 1/8, and the exact halves 256 → 128 → 64.
		assertThat(OpenCvRenderer.interpolation(384, 256)).isEqualTo(org.opencv.imgproc.Imgproc.INTER_AREA);
		assertThat(OpenCvRenderer.interpolation(500, 256)).isEqualTo(org.opencv.imgproc.Imgproc.INTER_AREA);
		assertThat(OpenCvRenderer.interpolation(256, 128)).isEqualTo(org.opencv.imgproc.Imgproc.INTER_AREA);
		assertThat(OpenCvRenderer.interpolation(383, 256)).isEqualTo(org.opencv.imgproc.Imgproc.INTER_CUBIC);
	}

	private static double stripes(double x) {
		return 128 + 100 * Math.sin(2 * Math.PI * x / 7);
	}

	/** The largest difference from the stripes sampled exactly at each resized pixel's centre. */
	private static double stripeError(org.opencv.core.Mat square, int to, int interpolation) {
		org.opencv.core.Mat resized = new org.opencv.core.Mat();
		org.opencv.imgproc.Imgproc.resize(square, resized, new org.opencv.core.Size(to, to), 0, 0, interpolation);
		byte[] row = new byte[to];
		resized.get(to / 2, 0, row);
		resized.release();
		double scale = square.cols() / (double) to;
		double worst = 0;
		// Away from the edges, where each filter pads its own way.
		for (int x = 4; x < to - 4; x++) {
			worst = Math.max(worst, Math.abs((row[x] & 0xFF) - stripes((x + 0.5) * scale - 0.5)));
		}
		return worst;
	}
}
