package dev.avatars.thumbnail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import dev.avatars.TestImages;
import dev.avatars.jpeg.ReducedJpegDecoder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code avatars.thumbnail.reduced-jpeg-decoder}: on, both engines decode a large JPEG photo at 1/8 with the
 * hand-written decoder; off, with libjpeg or ImageIO only, and the thumbnails are still the picture.
 */
class ReducedJpegSwitchTests {

	private static final List<Integer> SIZES = List.of(256, 128, 64);

	/** 2048 pixels: the crop side is 8 times the largest size, so both engines decode at 1/8. */
	private static final int SIDE = 2048;

	@TempDir
	Path dir;

	/**
	 * Pixels alternating dark and light like a chessboard, on tiles of colour: the mean of each 8×8 block (the
	 * decoder, and libjpeg at 1/8) is mid-grey tinted by its tile, while sampling every fourth pixel (ImageIO's
	 * subsampled read) sees only the dark ones. The tiles' sharp colour edges show 4:2:0 chroma being upsampled.
	 */
	private static byte[] chessboardOnTiles() {
		BufferedImage picture = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
		int[] tiles = { 0x3050C0, 0xC05030, 0x30C050, 0xB0B030 };
		for (int y = 0; y < SIDE; y++) {
			for (int x = 0; x < SIDE; x++) {
				int tile = tiles[((x / 40) + (y / 40)) % tiles.length];
				int lift = (((x + y) & 1) == 0) ? -0x303030 : 0x303030;
				picture.setRGB(x, y, tile + lift);
			}
		}
		return TestImages.encode(picture, "jpg");
	}

	private Path write(byte[] jpeg) throws Exception {
		return Files.write(this.dir.resolve("photo.jpg"), jpeg);
	}

	@ParameterizedTest
	@EnumSource(Thumbnailer.Engine.class)
	void onBothEnginesDecodeWithItOnce(Thumbnailer.Engine engine) throws Exception {
		Path file = write(chessboardOnTiles());
		AtomicInteger calls = new AtomicInteger();
		JpegReducer counting = (data, length, reduction) -> {
			calls.incrementAndGet();
			return ReducedJpegDecoder.decode(data, length, reduction);
		};

		List<Thumbnail> counted = new Thumbnailer(SIZES, 0.85f, engine, 40_000_000, counting).render(file, null);

		assertThat(calls).hasValue(1);
		assertThat(bytes(counted)).isEqualTo(bytes(new Thumbnailer(SIZES, 0.85f, engine, 40_000_000).render(file, null)))
			.isEqualTo(bytes(new Thumbnailer(SIZES, 0.85f, engine, 40_000_000, true).render(file, null)));
	}

	@ParameterizedTest
	@EnumSource(Thumbnailer.Engine.class)
	void offEveryJpegIsLeftToLibjpegOrImageIo(Thumbnailer.Engine engine) throws Exception {
		Path file = write(chessboardOnTiles());
		AtomicInteger calls = new AtomicInteger();
		// What the engines do when the decoder declines a file: the path every JPEG takes when it is off.
		JpegReducer declining = (data, length, reduction) -> {
			calls.incrementAndGet();
			return null;
		};

		Thumbnailer offThumbnailer = new Thumbnailer(SIZES, 0.85f, engine, 40_000_000, false);
		List<Thumbnail> off = offThumbnailer.render(file, null);
		List<Thumbnail> declined = new Thumbnailer(SIZES, 0.85f, engine, 40_000_000, declining).render(file, null);
		List<Thumbnail> on = new Thumbnailer(SIZES, 0.85f, engine, 40_000_000, true).render(file, null);

		assertThat(calls).hasValue(1);
		assertThat(bytes(off)).isEqualTo(bytes(declined)).isNotEqualTo(bytes(on));
		// The start-up log says so.
		assertThat(offThumbnailer.description()).endsWith("; reduced JPEG decoder off");
		assertThat(new Thumbnailer(SIZES, 0.85f, engine, 40_000_000, true).description()).doesNotContain("decoder off");
	}

	@ParameterizedTest
	@EnumSource(Thumbnailer.Engine.class)
	void offTheThumbnailsAreStillThePicture(Thumbnailer.Engine engine) throws Exception {
		// A smooth photo (a real one, EXIF-rotated), scaled up so that it is decoded at 1/8.
		BufferedImage source = ImageIO.read(new ByteArrayInputStream(TestImages.resource("quadrants.jpg")));
		BufferedImage large = new BufferedImage(SIDE, SIDE * source.getHeight() / source.getWidth(),
				BufferedImage.TYPE_INT_RGB);
		large.createGraphics().drawImage(source, 0, 0, large.getWidth(), large.getHeight(), null);
		Path file = write(TestImages.withExifOrientation(TestImages.encode(large, "jpg"), 6));

		List<Thumbnail> off = new Thumbnailer(SIZES, 0.85f, engine, 40_000_000, false).render(file, null);
		List<Thumbnail> on = new Thumbnailer(SIZES, 0.85f, engine, 40_000_000, true).render(file, null);

		for (int i = 0; i < SIZES.size(); i++) {
			BufferedImage offImage = ImageIO.read(new ByteArrayInputStream(off.get(i).bytes()));
			BufferedImage onImage = ImageIO.read(new ByteArrayInputStream(on.get(i).bytes()));
			assertThat(offImage.getWidth()).isEqualTo(SIZES.get(i));
			assertThat(offImage.getHeight()).isEqualTo(SIZES.get(i));
			assertThat(meanDifference(offImage, onImage)).as("mean difference per channel, size %d", SIZES.get(i))
				.isLessThan(4.0);
		}
	}

	/** The thumbnails' SHA-256s: equal for the same bytes, short in a failure's message. */
	private static List<String> bytes(List<Thumbnail> thumbnails) throws Exception {
		List<String> digests = new ArrayList<>();
		for (Thumbnail thumbnail : thumbnails) {
			digests.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(thumbnail.bytes())));
		}
		return digests;
	}

	private static double meanDifference(BufferedImage a, BufferedImage b) {
		long sum = 0;
		for (int y = 0; y < a.getHeight(); y++) {
			for (int x = 0; x < a.getWidth(); x++) {
				int p = a.getRGB(x, y);
				int q = b.getRGB(x, y);
				for (int shift = 0; shift < 24; shift += 8) {
					sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
				}
			}
		}
		return sum / (3.0 * a.getWidth() * a.getHeight());
	}

}
