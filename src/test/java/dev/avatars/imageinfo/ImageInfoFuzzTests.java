package dev.avatars.imageinfo;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.avatars.HostileImages;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded mutations of real files (the shipped test images, pictures made here and the hostile files): the header
 * reader gives a description or {@link MalformedHeaderException}, the orientation reader a value 0–8, never
 * another exception, and each input is read in bounded time.
 */
class ImageInfoFuzzTests {

	private static final int MUTATIONS_PER_SEED = 400;

	/** Generous: a read takes microseconds; a loop that does not advance would take forever. */
	private static final long MAX_NANOS_PER_INPUT = 1_000_000_000L;

	static Map<String, byte[]> seeds() {
		Map<String, byte[]> seeds = new LinkedHashMap<>();
		for (String name : List.of("quadrants.jpg", "orientation-6.jpg", "cmyk.jpg", "gps.jpg", "quadrants.webp",
				"sixteen-bit.png", "palette.png", "alpha.png", "animated.gif")) {
			seeds.put(name, TestImages.resource(name));
		}
		BufferedImage picture = TestImages.noise(40, 30);
		seeds.put("made.bmp", TestImages.encode(picture, "bmp"));
		seeds.put("made.gif", TestImages.encode(TestImages.solid(40, 30, Color.RED), "gif"));
		seeds.put("progressive-like.jpg", HostileImages.jpegWithSecondLargerFrame(40, 30));
		seeds.put("lossless.jpg", HostileImages.losslessJpeg(40, 30, 16, 1));
		seeds.put("lossless.webp", HostileImages.losslessWebp(40, 30));
		seeds.put("canvas.webp", HostileImages.webpCanvasAroundLargerFrame(30, 40, 40));
		seeds.put("exif.webp", HostileImages.webpWithExif(
				new byte[] { 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 1, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0 }));
		seeds.put("exif-chain.jpg", HostileImages.jpegWithDeepExifChain(50));
		return seeds;
	}

	@Test
	void mutatedFilesGiveADescriptionOrTheDeclaredException() throws Exception {
		Map<String, Integer> outcomes = new LinkedHashMap<>();
		List<String> failures = new ArrayList<>();
		Random random = new Random(14);
		for (Map.Entry<String, byte[]> seed : seeds().entrySet()) {
			for (int i = 0; i < MUTATIONS_PER_SEED; i++) {
				byte[] input = mutate(seed.getValue(), random);
				long start = System.nanoTime();
				String outcome;
				try {
					ImageInfo info = ImageInfo.read(new ByteArrayInputStream(input));
					assertThat(info.width()).isPositive();
					assertThat(info.maxWidth()).isGreaterThanOrEqualTo(info.width());
					assertThat(info.maxHeight()).isGreaterThanOrEqualTo(info.height());
					outcome = "described";
				}
				catch (MalformedHeaderException ex) {
					outcome = "malformed";
				}
				catch (Throwable ex) {
					failures.add(seed.getKey() + " #" + i + ": " + ex);
					continue;
				}
				try {
					int orientation = ExifOrientation.read(new ByteArrayInputStream(input));
					assertThat(orientation).isBetween(0, 8);
				}
				catch (Throwable ex) {
					failures.add(seed.getKey() + " #" + i + " (orientation): " + ex);
				}
				long nanos = System.nanoTime() - start;
				if (nanos > MAX_NANOS_PER_INPUT) {
					failures.add(seed.getKey() + " #" + i + " took " + nanos / 1_000_000 + " ms");
				}
				outcomes.merge(outcome, 1, Integer::sum);
			}
		}
		System.out.println("ImageInfo fuzz: " + outcomes); // the counts docs/LIMITS.md quotes
		assertThat(failures).isEmpty();
		// Both outcomes occur, so the mutations reach past the signatures.
		assertThat(outcomes).containsKeys("described", "malformed");
		assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum())
			.isEqualTo(seeds().size() * MUTATIONS_PER_SEED);
	}

	/** Flips, overwrites with extreme values, cuts, duplicates or deletes a few bytes; the signature mostly kept. */
	static byte[] mutate(byte[] original, Random random) {
		byte[] data = original.clone();
		int edits = 1 + random.nextInt(4);
		for (int e = 0; e < edits; e++) {
			int at = (data.length > 4 && random.nextInt(10) > 0) ? 4 + random.nextInt(data.length - 4)
					: random.nextInt(data.length);
			switch (random.nextInt(6)) {
				case 0 -> data[at] ^= (byte) (1 << random.nextInt(8));
				case 1 -> data[at] = (byte) (random.nextBoolean() ? 0xFF : 0x00);
				case 2 -> data[at] = (byte) random.nextInt(256);
				case 3 -> data = java.util.Arrays.copyOf(data, Math.max(1, at));
				case 4 -> {
					int length = Math.min(random.nextInt(64) + 1, data.length - at);
					byte[] longer = new byte[data.length + length];
					System.arraycopy(data, 0, longer, 0, at + length);
					System.arraycopy(data, at, longer, at + length, data.length - at);
					data = longer;
				}
				default -> {
					int length = Math.min(random.nextInt(16) + 1, data.length - at);
					byte[] shorter = new byte[data.length - length];
					System.arraycopy(data, 0, shorter, 0, at);
					System.arraycopy(data, at + length, shorter, at, data.length - at - length);
					data = shorter.length > 0 ? shorter : new byte[] { 0 };
				}
			}
			if (data.length == 0) {
				data = new byte[] { 0 };
			}
		}
		return data;
	}

}
