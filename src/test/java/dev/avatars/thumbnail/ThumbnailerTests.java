package dev.avatars.thumbnail;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.GpsDirectory;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The same contract on both paths: what a thumbnail looks like must not depend on which one ran. */
class ThumbnailerTests {

	private static final Color RED = new Color(255, 0, 0);

	private static final Color GREEN = new Color(0, 255, 0);

	private static final Color BLUE = new Color(0, 0, 255);

	private static final Color YELLOW = new Color(255, 255, 0);

	@Test
	void theNativeLibraryLoadsOnThisPlatformSoTheFastPathTestsRunIt() {
		Thumbnailer thumbnailer = new Thumbnailer(List.of(64), 0.85f, Thumbnailer.Engine.AUTO, 40_000_000);
		assertThat(thumbnailer.isNative()).as(thumbnailer.description()).isTrue();
	}

	@Test
	void theJavaEngineNeverUsesTheNativeLibrary() {
		Thumbnailer thumbnailer = new Thumbnailer(List.of(64), 0.85f, Thumbnailer.Engine.JAVA, 40_000_000);
		assertThat(thumbnailer.isNative()).isFalse();
		assertThat(thumbnailer.description()).isEqualTo("pure Java (engine set to java)");
	}

	@ParameterizedTest
	@ValueSource(floats = { -0.01f, 1.01f, 85f, Float.NaN })
	void aJpegQualityOutsideZeroToOneIsRefusedAtConstructionNotAtEachJob(float quality) {
		for (Thumbnailer.Engine engine : Thumbnailer.Engine.values()) {
			assertThatThrownBy(() -> new Thumbnailer(List.of(64), quality, engine, 40_000_000))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("JPEG quality");
		}
	}

	@ParameterizedTest
	@ValueSource(floats = { 0f, 1f })
	void theEndsOfTheQualityRangeEncode(float quality, @TempDir Path dir) throws Exception {
		Path original = dir.resolve("photo.jpg");
		Files.write(original, TestImages.encode(TestImages.noise(300, 200), "jpg"));
		for (Thumbnailer.Engine engine : Thumbnailer.Engine.values()) {
			List<Thumbnail> thumbnails = new Thumbnailer(List.of(64), quality, engine, 40_000_000).render(original,
					null);
			assertThat(ImageIO.read(new ByteArrayInputStream(thumbnails.get(0).bytes())).getWidth()).isEqualTo(64);
		}
	}

	@Test
	void thePureJavaPathWritesNoTemporaryFiles(@TempDir Path cache, @TempDir Path originals) throws Exception {
		Path file = Files.write(originals.resolve("photo.jpg"), TestImages.jpeg(300, 200));
		File previous = ImageIO.getCacheDirectory();
		ImageIO.setCacheDirectory(cache.toFile());
		try (WatchService watcher = cache.getFileSystem().newWatchService()) {
			cache.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);

			new Thumbnailer(List.of(128, 64), 0.85f, Thumbnailer.Engine.JAVA, 40_000_000).render(file, null);

			// A file created and deleted again still shows up as an event.
			WatchKey key = watcher.poll(200, TimeUnit.MILLISECONDS);
			assertThat((key != null) ? key.pollEvents() : List.of()).isEmpty();
		}
		finally {
			ImageIO.setCacheDirectory(previous);
		}
	}

	@Nested
	class FastPath extends Contract {

		FastPath() {
			super(Thumbnailer.Engine.AUTO);
		}

	}

	@Nested
	class PureJava extends Contract {

		PureJava() {
			super(Thumbnailer.Engine.JAVA);
		}

	}

	abstract static class Contract {

		private final Thumbnailer.Engine engine;

		private final Thumbnailer thumbnailer;

		@TempDir
		Path dir;

		Contract(Thumbnailer.Engine engine) {
			this.engine = engine;
			this.thumbnailer = new Thumbnailer(List.of(256, 128, 64), 0.85f, engine, 40_000_000);
		}

		@ParameterizedTest
		@ValueSource(strings = { "quadrants.jpg", "orientation-3.jpg", "orientation-6.jpg", "orientation-8.jpg",
				"cmyk.jpg", "quadrants.webp", "sixteen-bit.png", "palette.png", "animated.gif", "gps.jpg" })
		void everyStorageOfTheQuadrantPictureComesOutUprightCentreCroppedAndExact(String name) throws Exception {
			List<Thumbnail> thumbnails = this.thumbnailer.render(fixture(name), null);

			assertThat(thumbnails).extracting(Thumbnail::size).containsExactly(256, 128, 64);
			for (Thumbnail thumbnail : thumbnails) {
				assertThat(thumbnail.format()).isEqualTo(Thumbnail.OutputFormat.JPEG);
				BufferedImage image = decode(thumbnail);
				assertThat(image.getWidth()).isEqualTo(thumbnail.size());
				assertThat(image.getHeight()).isEqualTo(thumbnail.size());
				assertQuadrants(image);
			}
		}

		@Test
		void theFirstFrameOfAnAnimatedGifIsUsed() throws Exception {
			// Frame two is plain grey; the quadrants prove frame one was taken.
			assertQuadrants(decode(this.thumbnailer.render(fixture("animated.gif"), null).get(0)));
		}

		@Test
		void realTransparencyGivesPngWithAlpha() throws Exception {
			List<Thumbnail> thumbnails = this.thumbnailer.render(fixture("alpha.png"), null);
			for (Thumbnail thumbnail : thumbnails) {
				assertThat(thumbnail.format()).isEqualTo(Thumbnail.OutputFormat.PNG);
				BufferedImage image = decode(thumbnail);
				assertThat(image.getColorModel().hasAlpha()).isTrue();
				int s = thumbnail.size();
				assertThat(image.getRGB(2, 2) >>> 24).as("corner is transparent").isZero();
				assertThat(new Color(image.getRGB(s / 2, s / 2), true)).isEqualTo(new Color(255, 0, 0, 255));
			}
		}

		@Test
		void anOpaqueAlphaChannelIsNotTransparency() throws Exception {
			BufferedImage opaque = new BufferedImage(40, 40, BufferedImage.TYPE_INT_ARGB);
			for (int y = 0; y < 40; y++) {
				for (int x = 0; x < 40; x++) {
					opaque.setRGB(x, y, 0xFF00FF00);
				}
			}
			Path file = Files.write(this.dir.resolve("opaque.png"), TestImages.encode(opaque, "png"));
			assertThat(this.thumbnailer.render(file, null)).allSatisfy(
					(thumbnail) -> assertThat(thumbnail.format()).isEqualTo(Thumbnail.OutputFormat.JPEG));
		}

		@Test
		void outputsCarryNoMetadataAtAll() throws Exception {
			Metadata source = ImageMetadataReader.readMetadata(fixture("gps.jpg").toFile());
			assertThat(source.getFirstDirectoryOfType(GpsDirectory.class)).as("the fixture has GPS").isNotNull();

			for (Thumbnail thumbnail : this.thumbnailer.render(fixture("gps.jpg"), null)) {
				Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(thumbnail.bytes()));
				assertThat(metadata.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
				for (Directory directory : metadata.getDirectories()) {
					assertThat(directory).isNotInstanceOf(ExifDirectoryBase.class);
				}
				assertThat(new String(thumbnail.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
					.doesNotContain("Exif", "TestCam");
			}
		}

		@Test
		void aLargePhotoIsDecodedSubsampledToAtLeastTwiceTheLargestSize() throws Exception {
			BufferedImage wide = TestImages.solid(3000, 2000, Color.WHITE);
			Path file = Files.write(this.dir.resolve("wide.jpg"), TestImages.encode(wide, "jpg"));
			List<Thumbnail> thumbnails = new Thumbnailer(List.of(100), 0.85f, this.engine, 40_000_000).render(file,
					null);
			assertThat(decode(thumbnails.get(0)).getWidth()).isEqualTo(100);
		}

		@Test
		void truncatedJpegIsUndecodableWithAReasonAPersonUnderstands() throws Exception {
			byte[] full = TestImages.encode(TestImages.noise(400, 300), "jpg");
			byte[] cut = java.util.Arrays.copyOf(full, full.length / 2);
			Path file = Files.write(this.dir.resolve("cut.jpg"), cut);
			assertThatThrownBy(() -> this.thumbnailer.render(file, null)).isInstanceOf(UndecodableImageException.class)
				.hasMessage("not a decodable JPEG: truncated data");
		}

		@Test
		void garbageIsUndecodable() throws Exception {
			Path file = Files.write(this.dir.resolve("garbage.png"), "not an image at all".getBytes());
			assertThatThrownBy(() -> this.thumbnailer.render(file, null)).isInstanceOf(UndecodableImageException.class)
				.hasMessageStartingWith("not a decodable image");
		}

		@Test
		void aMissingFileIsAnIoErrorNotAVerdictOnTheImage() {
			assertThatThrownBy(() -> this.thumbnailer.render(this.dir.resolve("gone.jpg"), null)).isInstanceOf(IOException.class)
				.isNotInstanceOf(UndecodableImageException.class);
		}

		private Path fixture(String name) throws IOException {
			return Files.write(this.dir.resolve(name), TestImages.resource(name));
		}

	}

	static void assertQuadrants(BufferedImage image) {
		int s = image.getWidth();
		assertColor(image, s / 4, s / 4, RED);
		assertColor(image, 3 * s / 4, s / 4, GREEN);
		assertColor(image, s / 4, 3 * s / 4, BLUE);
		assertColor(image, 3 * s / 4, 3 * s / 4, YELLOW);
	}

	static void assertColor(BufferedImage image, int x, int y, Color expected) {
		Color actual = new Color(image.getRGB(x, y));
		int distance = Math.abs(actual.getRed() - expected.getRed()) + Math.abs(actual.getGreen() - expected.getGreen())
				+ Math.abs(actual.getBlue() - expected.getBlue());
		assertThat(distance).as("colour at %d,%d is %s, expected %s", x, y, actual, expected).isLessThan(90);
	}

	static BufferedImage decode(Thumbnail thumbnail) throws IOException {
		return ImageIO.read(new ByteArrayInputStream(thumbnail.bytes()));
	}

}
