package dev.avatars;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

/** Real image files, made in memory, for tests. */
public final class TestImages {

	private TestImages() {
	}

	public static BufferedImage solid(int width, int height, Color color) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(color);
		g.fillRect(0, 0, width, height);
		g.dispose();
		return image;
	}

	public static byte[] jpeg(int width, int height) {
		return encode(solid(width, height, Color.RED), "jpg");
	}

	public static byte[] png(int width, int height) {
		return encode(solid(width, height, Color.BLUE), "png");
	}

	public static byte[] encode(BufferedImage image, String format) {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			if (!ImageIO.write(image, format, out)) {
				throw new IllegalStateException("No writer for " + format);
			}
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** One of the shipped files in src/test/resources/images (see the README there). */
	public static byte[] resource(String name) {
		try (java.io.InputStream in = TestImages.class.getResourceAsStream("/images/" + name)) {
			if (in == null) {
				throw new IllegalArgumentException("No test image " + name);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A valid PNG of a few hundred bytes whose header claims {@code width × height} pixels. */
	public static byte[] pngClaiming(int width, int height) {
		ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
			.put((byte) 0).put((byte) 0).put((byte) 0);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
		chunk(out, "IHDR", ihdr.array());
		chunk(out, "IDAT", new byte[] { 0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 });
		chunk(out, "IEND", new byte[0]);
		return out.toByteArray();
	}

	private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		out.writeBytes(typeBytes);
		out.writeBytes(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	/** Random pixels: a picture that JPEG cannot squeeze, so cutting it in half cuts real image data. */
	public static BufferedImage noise(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		java.util.Random random = new java.util.Random(7);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				image.setRGB(x, y, random.nextInt(0xFFFFFF));
			}
		}
		return image;
	}

	/** Header and first scans intact, the rest cut off: passes the upload's header check, fails decoding. */
	public static byte[] truncatedButWithReadableHeader() {
		byte[] full = encode(noise(300, 200), "jpg");
		return java.util.Arrays.copyOf(full, full.length / 2);
	}

	/** The first {@code length} bytes of a real JPEG: a header cut short. */
	public static byte[] truncatedJpeg(int length) {
		byte[] full = jpeg(64, 64);
		byte[] cut = new byte[length];
		System.arraycopy(full, 0, cut, 0, length);
		return cut;
	}

	/** The JPEG with an EXIF block whose Orientation tag is {@code orientation} (1–8), right after SOI. */
	public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
		byte[] tiff = { 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0,
				0, 0, 0, 0 };
		return withSegment(jpeg, 0xE1, concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII), tiff));
	}

	/**
	 * The start of an ISO media (HEIF) picture: an {@code ftyp} box with {@code major} and {@code compatible}
	 * brands, then a few bytes of a {@code meta} box, as iPhones (HEIC) and AVIF encoders write them.
	 */
	public static byte[] isoMedia(String major, String... compatible) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int size = 16 + 4 * compatible.length;
		out.writeBytes(new byte[] { 0, 0, 0, (byte) size });
		out.writeBytes(("ftyp" + major).getBytes(StandardCharsets.US_ASCII));
		out.writeBytes(new byte[4]);
		for (String brand : compatible) {
			out.writeBytes(brand.getBytes(StandardCharsets.US_ASCII));
		}
		out.writeBytes(new byte[] { 0, 0, 0, 40 });
		out.writeBytes("meta".getBytes(StandardCharsets.US_ASCII));
		out.writeBytes(new byte[32]);
		return out.toByteArray();
	}

	/** The JPEG with an APP2 ICC_PROFILE segment carrying {@code profile}. */
	public static byte[] withIccProfile(byte[] jpeg, byte[] profile) {
		byte[] head = concat("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII), new byte[] { 1, 1 });
		return withSegment(jpeg, 0xE2, concat(head, profile));
	}

	private static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
		int length = payload.length + 2;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(0xFF);
		out.write(0xD8);
		out.write(0xFF);
		out.write(marker);
		out.write(length >> 8);
		out.write(length & 0xFF);
		out.writeBytes(payload);
		out.write(jpeg, 2, jpeg.length - 2);
		return out.toByteArray();
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, joined, a.length, b.length);
		return joined;
	}

	public static final byte[] HTML = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
		.getBytes(StandardCharsets.UTF_8);

	public static final byte[] SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\"><script>alert(1)</script></svg>"
		.getBytes(StandardCharsets.UTF_8);

	public static final byte[] PDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

	/** Each scan's entropy-coded data: from, to (exclusive), and whether it is an AC scan (1) or DC (0). */
	public static List<int[]> jpegScans(byte[] jpeg) {
		List<int[]> scans = new ArrayList<>();
		int pos = 2;
		while (pos + 4 <= jpeg.length) {
			int marker = jpeg[pos + 1] & 0xFF;
			if (marker == 0xD9) {
				break;
			}
			int length = ((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF);
			int next = pos + 2 + length;
			if (marker == 0xDA) {
				int count = jpeg[pos + 4] & 0xFF;
				int start = jpeg[pos + 5 + 2 * count] & 0xFF;
				int end = next;
				while (!(jpeg[end] == (byte) 0xFF && jpeg[end + 1] != 0 && (jpeg[end + 1] & 0xF8) != 0xD0)) {
					end++;
				}
				scans.add(new int[] { next, end, (start == 0) ? 0 : 1 });
				next = end;
			}
			pos = next;
		}
		return scans;
	}

}
