package dev.avatars.thumbnail;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.avatars.TestFaces.Portrait;
import dev.avatars.TestImages;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The round variants: PNG with straight alpha, 0 outside the inscribed circle, 255 inside, partial on the edge,
 * and the same square as the square thumbnail, on both engines.
 */
class CircleThumbnailTests {

	private static final List<Integer> SIZES = List.of(256, 128, 64, 17);

	@TempDir
	Path dir;

	@ParameterizedTest
	@EnumSource(Thumbnailer.Engine.class)
	void roundPngsAreTransparentOutsideOpaqueInsideAndSoftOnTheEdge(Thumbnailer.Engine engine) throws Exception {
		Path file = Files.write(this.dir.resolve("a.jpg"), TestImages.encode(Portrait.ASTRONAUT.image(), "jpg"));
		Rendering rendering = new Thumbnailer(SIZES, 0.9f, engine, 40_000_000).render(file, new Crop(0.2, 0.1, 0.6),
				true);

		assertThat(rendering.circles()).hasSize(SIZES.size());
		for (int i = 0; i < SIZES.size(); i++) {
			Thumbnail circle = rendering.circles().get(i);
			int size = SIZES.get(i);
			assertThat(circle.size()).isEqualTo(size);
			assertThat(circle.format()).isEqualTo(Thumbnail.OutputFormat.CIRCLE_PNG);
			assertThat(circle.format().mediaType()).isEqualTo("image/png");
			BufferedImage round = ThumbnailerTests.decode(circle);
			assertThat(round.getWidth()).isEqualTo(size);
			assertThat(round.getHeight()).isEqualTo(size);
			assertThat(round.getColorModel().hasAlpha()).isTrue();
			assertThat(round.isAlphaPremultiplied()).isFalse();
			double r = size / 2.0;
			int partial = 0;
			for (int y = 0; y < size; y++) {
				for (int x = 0; x < size; x++) {
					int alpha = round.getRGB(x, y) >>> 24;
					// The pixel's nearest and farthest points from the centre.
					double near = Math.hypot(Math.max(0, Math.max(r - x - 1, x - r)), Math.max(0, Math.max(r - y - 1, y - r)));
					double far = Math.hypot(Math.max(Math.abs(x - r), Math.abs(x + 1 - r)),
							Math.max(Math.abs(y - r), Math.abs(y + 1 - r)));
					if (far <= r) {
						assertThat(alpha).as("inside at %d,%d of %d", x, y, size).isEqualTo(255);
					}
					else if (near >= r) {
						assertThat(alpha).as("outside at %d,%d of %d", x, y, size).isZero();
					}
					else if (alpha > 0 && alpha < 255) {
						partial++;
					}
				}
			}
			// The edge is anti-aliased all round: most of the pixels it crosses are partly covered.
			assertThat(partial).as("partly covered edge pixels at %d", size).isGreaterThan((int) (2 * Math.PI * r * 0.6));
		}
	}

	@ParameterizedTest
	@EnumSource(Thumbnailer.Engine.class)
	void theCircleIsTheSameCropAsTheSquare(Thumbnailer.Engine engine) throws Exception {
		Path file = Files.write(this.dir.resolve("h.jpg"), TestImages.encode(Portrait.HOPPER.image(), "jpg"));
		Rendering rendering = new Thumbnailer(SIZES, 0.95f, engine, 40_000_000).render(file, new Crop(0.3, 0.2, 0.5),
				true);
		for (int i = 0; i < SIZES.size(); i++) {
			BufferedImage square = ThumbnailerTests.decode(rendering.squares().get(i));
			BufferedImage round = ThumbnailerTests.decode(rendering.circles().get(i));
			long total = 0;
			long count = 0;
			long shifted = 0;
			for (int y = 0; y < square.getHeight(); y++) {
				for (int x = 0; x < square.getWidth(); x++) {
					int p = round.getRGB(x, y);
					if ((p >>> 24) == 255) {
						total += difference(p, square.getRGB(x, y));
						// The same pixels a few columns over, to show the comparison can tell them apart.
						shifted += difference(p, square.getRGB(Math.min(square.getWidth() - 1, x + 3), y));
						count++;
					}
				}
			}
			// JPEG's 8×8 blocks weigh more on the square the smaller it is.
			double tolerance = (SIZES.get(i) >= 64) ? 4 : 8;
			assertThat(total / (double) count).as("mean difference at %d", SIZES.get(i)).isLessThan(tolerance);
			assertThat(shifted / (double) count).isGreaterThan(total / (double) count);
		}
	}

	@ParameterizedTest
	@EnumSource(Thumbnailer.Engine.class)
	void aTransparentPictureKeepsItsOwnTransparencyInsideTheCircle(Thumbnailer.Engine engine) throws Exception {
		Path file = Files.write(this.dir.resolve("alpha.png"), TestImages.resource("alpha.png"));
		Rendering rendering = new Thumbnailer(List.of(64), 0.9f, engine, 40_000_000).render(file, null, true);
		BufferedImage square = ThumbnailerTests.decode(rendering.squares().get(0));
		BufferedImage round = ThumbnailerTests.decode(rendering.circles().get(0));
		for (int y = 0; y < 64; y++) {
			for (int x = 0; x < 64; x++) {
				assertThat(round.getRGB(x, y) >>> 24).isLessThanOrEqualTo(square.getRGB(x, y) >>> 24);
			}
		}
		assertThat(round.getRGB(32, 32) >>> 24).isEqualTo(square.getRGB(32, 32) >>> 24);
	}

	private static int difference(int p, int q) {
		int total = 0;
		for (int shift = 0; shift <= 16; shift += 8) {
			total += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
		}
		return total / 3;
	}

}
