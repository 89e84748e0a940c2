package dev.avatars.png;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Inflater;

import dev.avatars.TestFaces.Portrait;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link PngEncoder}: what it writes decodes, by ImageIO, to the very samples given (from {@code encodeBgr}:
 * with colour 0 where alpha is), in well-formed chunks.
 */
class PngEncoderTests {

	private static final int[] SIDES = { 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 64, 100, 128, 255, 256, 257, 300 };

	private static final PngEncoder ENCODER = PngEncoder.ROUND;

	@Test
	void randomPicturesOfManySizesDecodeToTheirSamples() throws Exception {
		Random random = new Random(1);
		for (int width : SIDES) {
			int height = SIDES[random.nextInt(SIDES.length)];
			for (PngEncoder.ColourType type : PngEncoder.ColourType.values()) {
				byte[] samples = PngSamples.samples(random, width, height, type.channels());
				byte[] png = ENCODER.encode(width, height, type, samples);
				assertThat(PngSamples.decoded(png, type.channels())).as("%d×%d %s", width, height, type)
					.isEqualTo(samples);
			}
			byte[] bgr = PngSamples.samples(random, width, height, 3);
			byte[] alpha = PngSamples.alpha(random, width, height);
			assertThat(PngSamples.decoded(ENCODER.encodeBgr(width, height, bgr, alpha), 4))
				.as("%d×%d BGR and alpha", width, height)
				.isEqualTo(PngSamples.rgba(bgr, alpha));
		}
	}

	@Test
	void photographsDecodeToTheirSamplesWithAndWithoutAlpha() throws Exception {
		Random random = new Random(42);
		for (Portrait portrait : Portrait.values()) {
			BufferedImage photo = portrait.image();
			for (int n = 0; n < 6; n++) {
				int width = 1 + random.nextInt(Math.min(300, photo.getWidth()));
				int height = 1 + random.nextInt(Math.min(300, photo.getHeight()));
				int x = random.nextInt(photo.getWidth() - width + 1);
				int y = random.nextInt(photo.getHeight() - height + 1);
				for (PngEncoder.ColourType type : PngEncoder.ColourType.values()) {
					byte[] samples = samples(photo, x, y, width, height, type, random);
					assertThat(PngSamples.decoded(ENCODER.encode(width, height, type, samples), type.channels()))
						.as("%s %d×%d at %d,%d %s", portrait, width, height, x, y, type)
						.isEqualTo(samples);
					if (type == PngEncoder.ColourType.RGBA) {
						byte[] bgr = PngSamples.bgr(samples);
						byte[] alpha = alpha(samples);
						assertThat(PngSamples.decoded(ENCODER.encodeBgr(width, height, bgr, alpha), 4))
							.as("%s %d×%d at %d,%d BGR and alpha", portrait, width, height, x, y)
							.isEqualTo(PngSamples.rgba(bgr, alpha));
					}
				}
			}
		}
	}

	@Test
	void bgrIsWrittenAsRgbaWithColourZeroedWhereTransparent() throws Exception {
		// Two rows: blue, green, red; the middle pixel transparent in the first row, the last in the second.
		byte[] bgr = { (byte) 200, 10, 20, 30, (byte) 201, 40, 50, 60, (byte) 202, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
		byte[] alpha = { (byte) 255, 0, (byte) 128, 1, (byte) 255, 0 };
		assertThat(PngSamples.decoded(ENCODER.encodeBgr(3, 2, bgr, alpha), 4)).containsExactly(
				20, 10, 200, 255, 0, 0, 0, 0, 202, 60, 50, 128,
				3, 2, 1, 1, 6, 5, 4, 255, 0, 0, 0, 0);
	}

	/** The alpha samples of RGBA samples. */
	private static byte[] alpha(byte[] rgba) {
		byte[] alpha = new byte[rgba.length / 4];
		for (int i = 0; i < alpha.length; i++) {
			alpha[i] = rgba[4 * i + 3];
		}
		return alpha;
	}

	/** A part of the photo; with alpha, a random disc of it opaque, a ring partly, the rest transparent. */
	private static byte[] samples(BufferedImage photo, int x, int y, int width, int height,
			PngEncoder.ColourType type, Random random) {
		int channels = type.channels();
		byte[] samples = new byte[width * height * channels];
		double cx = random.nextDouble() * width;
		double cy = random.nextDouble() * height;
		double radius = 1 + random.nextDouble() * Math.max(width, height) / 2.0;
		for (int row = 0; row < height; row++) {
			for (int col = 0; col < width; col++) {
				int rgb = photo.getRGB(x + col, y + row);
				int at = (row * width + col) * channels;
				samples[at] = (byte) (rgb >>> 16);
				samples[at + 1] = (byte) (rgb >>> 8);
				samples[at + 2] = (byte) rgb;
				if (channels == 4) {
					double outside = Math.hypot(col + 0.5 - cx, row + 0.5 - cy) - radius;
					samples[at + 3] = (byte) Math.round(255 * Math.max(0, Math.min(1, 0.5 - outside)));
				}
			}
		}
		return samples;
	}

	@Test
	void chunksAreSignatureIhdrIdatIendWithValidCrcsAndHeaderFields() throws Exception {
		Random random = new Random(7);
		for (int n = 0; n < 12; n++) {
			int width = 1 + random.nextInt(300);
			int height = 1 + random.nextInt(300);
			for (PngEncoder.ColourType type : PngEncoder.ColourType.values()) {
				byte[] samples = PngSamples.samples(random, width, height, type.channels());
				checkStructure(ENCODER.encode(width, height, type, samples), width, height, type);
			}
			byte[] bgr = PngSamples.samples(random, width, height, 3);
			byte[] alpha = PngSamples.alpha(random, width, height);
			checkStructure(ENCODER.encodeBgr(width, height, bgr, alpha), width, height, PngEncoder.ColourType.RGBA);
		}
	}

	private static void checkStructure(byte[] png, int width, int height, PngEncoder.ColourType type)
			throws Exception {
		ByteBuffer in = ByteBuffer.wrap(png);
		byte[] signature = new byte[8];
		in.get(signature);
		assertThat(signature).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
		List<String> types = new ArrayList<>();
		ByteArrayOutputStream idat = new ByteArrayOutputStream();
		while (in.hasRemaining()) {
			int length = in.getInt();
			byte[] typeAndData = new byte[4 + length];
			in.get(typeAndData);
			CRC32 crc = new CRC32();
			crc.update(typeAndData);
			assertThat(in.getInt()).as("CRC").isEqualTo((int) crc.getValue());
			String chunk = new String(typeAndData, 0, 4, java.nio.charset.StandardCharsets.US_ASCII);
			types.add(chunk);
			ByteBuffer data = ByteBuffer.wrap(typeAndData, 4, length);
			if (chunk.equals("IHDR")) {
				assertThat(length).isEqualTo(13);
				assertThat(data.getInt()).isEqualTo(width);
				assertThat(data.getInt()).isEqualTo(height);
				assertThat(data.get()).as("bit depth").isEqualTo((byte) 8);
				assertThat(data.get()).as("colour type").isEqualTo((byte) ((type == PngEncoder.ColourType.RGB) ? 2 : 6));
				assertThat(data.get()).as("compression").isZero();
				assertThat(data.get()).as("filter method").isZero();
				assertThat(data.get()).as("interlace").isZero();
			}
			else if (chunk.equals("IDAT")) {
				idat.write(typeAndData, 4, length);
			}
			else {
				assertThat(length).isZero();
			}
		}
		assertThat(types).containsExactly("IHDR", "IDAT", "IEND");
		byte[] stream = idat.toByteArray();
		assertThat(((stream[0] & 0xFF) << 8 | (stream[1] & 0xFF)) % 31).as("zlib header check").isZero();
		assertThat(stream[0] & 0x0F).as("deflate").isEqualTo(8);
		Inflater inflater = new Inflater();
		inflater.setInput(stream);
		int stride = width * type.channels() + 1;
		byte[] filtered = new byte[stride * height + 1];
		int inflated = 0;
		while (!inflater.finished() && inflated < filtered.length) {
			int n = inflater.inflate(filtered, inflated, filtered.length - inflated);
			assertThat(n > 0 || !inflater.needsInput()).as("stream ends early").isTrue();
			inflated += n;
		}
		assertThat(inflater.finished()).as("the stream ends, Adler-32 checked").isTrue();
		assertThat(inflater.getRemaining()).as("nothing after the stream").isZero();
		inflater.end();
		assertThat(inflated).isEqualTo(stride * height);
		for (int row = 0; row < height; row++) {
			assertThat(filtered[row * stride]).as("row %d's filter type, SUB", row).isEqualTo((byte) 1);
		}
	}

	@Test
	void huffmanCodesStayWithinTheirLimitAndAreComplete() {
		Random random = new Random(3);
		for (int n = 0; n < 200; n++) {
			int[] frequencies = new int[257];
			int kind = n % 3;
			for (int s = 0; s < frequencies.length; s++) {
				frequencies[s] = switch (kind) {
					case 0 -> random.nextInt(1000);
					// Fibonacci-like frequencies: the optimal code would be about as deep as there are symbols.
					case 1 -> (s < 30) ? fibonacci(s + 1) : 0;
					default -> (random.nextInt(4) == 0) ? 0 : 1 << random.nextInt(24);
				};
			}
			frequencies[256] = 1;
			for (int limit : new int[] { 15, HuffmanDeflate.MAX_BITS }) {
				int[] lengths = HuffmanDeflate.codeLengths(frequencies, limit);
				double kraft = 0;
				for (int s = 0; s < lengths.length; s++) {
					assertThat(lengths[s] > 0).as("a code exactly for the symbols used").isEqualTo(frequencies[s] > 0);
					assertThat(lengths[s]).isLessThanOrEqualTo(limit);
					kraft += (lengths[s] > 0) ? Math.pow(2, -lengths[s]) : 0;
				}
				assertThat(kraft).as("complete code").isEqualTo(1.0);
			}
		}
	}

	private static int fibonacci(int n) {
		int a = 1;
		int b = 1;
		for (int i = 2; i < n; i++) {
			int c = a + b;
			a = b;
			b = c;
		}
		return b;
	}

	@Test
	void refusesSizesAndSampleCountsThatDoNotFit() {
		assertThatIllegalArgumentException().isThrownBy(() -> ENCODER.encode(0, 1, PngEncoder.ColourType.RGB, new byte[0]));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ENCODER.encode(2, 2, PngEncoder.ColourType.RGBA, new byte[12]));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ENCODER.encode(PngEncoder.MAX_SIDE + 1, 1, PngEncoder.ColourType.RGB, new byte[0]));
		assertThatIllegalArgumentException().isThrownBy(() -> ENCODER.encodeBgr(2, 2, new byte[12], new byte[3]));
		assertThatIllegalArgumentException().isThrownBy(() -> ENCODER.encodeBgr(2, 2, new byte[16], new byte[4]));
		assertThatIllegalArgumentException().isThrownBy(() -> ENCODER.encodeBgr(1, 0, new byte[0], new byte[0]));
	}

}
