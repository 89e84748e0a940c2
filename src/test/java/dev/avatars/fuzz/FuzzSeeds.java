package dev.avatars.fuzz;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

import dev.avatars.LsbBitWriter;
import dev.avatars.TestImages;

/**
 * The files the fuzzer mutates: the shipped test images plus pictures made here, one per way of storing a picture
 * that the upload accepts. They are made with the JDK's own encoders from a fixed drawing, so the same JDK gives
 * the same bytes, and a mutant's number names the same file on every run.
 */
public final class FuzzSeeds {

	/** An original picture to mutate. */
	public record Seed(String name, byte[] bytes) {

	}

	/** The files in src/test/resources/images, in a fixed order. */
	private static final List<String> RESOURCES = List.of("quadrants.jpg", "orientation-3.jpg", "orientation-6.jpg",
			"orientation-8.jpg", "gps.jpg", "cmyk.jpg", "quadrants.webp", "sixteen-bit.png", "palette.png",
			"alpha.png", "animated.gif");

	private FuzzSeeds() {
	}

	private static List<Seed> small;

	private static List<Seed> withLarge;

	/**
	 * Every seed, the shipped ones first; {@code large} adds two JPEGs big enough for the 1/4 and 1/8 decoders at
	 * the job's sizes. Made once per JVM.
	 */
	static synchronized List<Seed> all(boolean large) {
		if (large && withLarge == null) {
			withLarge = make(true);
		}
		if (!large && small == null) {
			small = make(false);
		}
		return large ? withLarge : small;
	}

	static List<Seed> make(boolean large) {
		List<Seed> seeds = new ArrayList<>();
		for (String name : RESOURCES) {
			seeds.add(new Seed(name, TestImages.resource(name)));
		}
		BufferedImage picture = drawing(320, 240, false);
		seeds.add(new Seed("made-baseline.jpg", jpeg(picture, false, 0)));
		seeds.add(new Seed("made-progressive.jpg", jpeg(picture, true, 0)));
		seeds.add(new Seed("made-grey.jpg", jpeg(grey(picture), false, 0)));
		seeds.add(new Seed("made-restarts.jpg", jpeg(picture, false, 2)));
		seeds.add(new Seed("made-rgb.png", TestImages.encode(picture, "png")));
		seeds.add(new Seed("made-16bit.png", TestImages.encode(sixteenBit(picture), "png")));
		seeds.add(new Seed("made-palette.png", TestImages.encode(indexed(picture), "png")));
		seeds.add(new Seed("made-alpha.png", TestImages.encode(drawing(200, 150, true), "png")));
		seeds.add(new Seed("made.gif", TestImages.encode(indexed(picture), "gif")));
		seeds.add(new Seed("made-lossless.webp", losslessWebp(96, 64)));
		seeds.add(new Seed("made-24bit.bmp", TestImages.encode(picture, "bmp")));
		seeds.add(new Seed("made-8bit.bmp", TestImages.encode(indexed(picture), "bmp")));
		if (large) {
			// The crop side over the largest thumbnail (256) decides the decoder: 1100 is read at 1/4 (pure Java:
			// the hand-written decoder), 2048 at 1/8 (both paths); EXIF orientation 6 and restart markers on top.
			seeds.add(new Seed("made-1100-restarts.jpg", jpeg(drawing(1100, 1100, false), false, 4)));
			seeds.add(new Seed("made-2048-exif6.jpg",
					TestImages.withExifOrientation(jpeg(drawing(2048, 2048, false), false, 0), 6)));
		}
		return List.copyOf(seeds);
	}

	/** Gradients, discs and stripes: smooth areas and sharp edges, so JPEG makes a small file of real data. */
	public static BufferedImage drawing(int width, int height, boolean alpha) {
		BufferedImage image = new BufferedImage(width, height,
				alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				int r = 255 * x / width;
				int g = 255 * y / height;
				int b = ((x / 16 + y / 16) % 2 == 0) ? 200 : 60;
				int a = alpha ? 255 * ((x + y) % width) / width : 255;
				image.setRGB(x, y, a << 24 | r << 16 | g << 8 | b);
			}
		}
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setColor(new Color(250, 240, 20));
		g.fillOval(width / 8, height / 8, width / 3, height / 3);
		g.setColor(new Color(20, 30, 120, alpha ? 0 : 255));
		g.fillRect(width / 2, height / 2, width / 4, height / 5);
		g.dispose();
		return image;
	}

	private static BufferedImage grey(BufferedImage picture) {
		BufferedImage grey = new BufferedImage(picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
		Graphics2D g = grey.createGraphics();
		g.drawImage(picture, 0, 0, null);
		g.dispose();
		return grey;
	}

	private static BufferedImage indexed(BufferedImage picture) {
		BufferedImage indexed = new BufferedImage(picture.getWidth(), picture.getHeight(),
				BufferedImage.TYPE_BYTE_INDEXED);
		Graphics2D g = indexed.createGraphics();
		g.drawImage(picture, 0, 0, null);
		g.dispose();
		return indexed;
	}

	/** 16 bits per channel, RGB: the PNG writer stores it as such. */
	private static BufferedImage sixteenBit(BufferedImage picture) {
		ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
				Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
		WritableRaster raster = model.createCompatibleWritableRaster(picture.getWidth(), picture.getHeight());
		int[] pixel = new int[3];
		for (int y = 0; y < picture.getHeight(); y++) {
			for (int x = 0; x < picture.getWidth(); x++) {
				int rgb = picture.getRGB(x, y);
				pixel[0] = ((rgb >> 16) & 0xFF) * 257 + (x & 0xFF);
				pixel[1] = ((rgb >> 8) & 0xFF) * 257 - (y & 0xFF);
				pixel[2] = (rgb & 0xFF) * 257;
				for (int c = 0; c < 3; c++) {
					pixel[c] = Math.max(0, Math.min(0xFFFF, pixel[c]));
				}
				raster.setPixel(x, y, pixel);
			}
		}
		return new BufferedImage(model, raster, false, null);
	}

	/**
	 * A JPEG from the JDK's encoder (4:2:0 for colour), progressive or with a restart marker every
	 * {@code restartInterval} MCUs (0: none).
	 */
	public static byte[] jpeg(BufferedImage picture, boolean progressive, int restartInterval) {
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
				ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
			writer.setOutput(out);
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			param.setCompressionQuality(0.9f);
			if (progressive) {
				param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
			}
			IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(picture), param);
			if (restartInterval > 0) {
				String format = "javax_imageio_jpeg_image_1.0";
				IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
				IIOMetadataNode dri = new IIOMetadataNode("dri");
				dri.setAttribute("interval", Integer.toString(restartInterval));
				IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
				markers.insertBefore(dri, markers.getFirstChild());
				metadata.setFromTree(format, root);
			}
			writer.write(null, new IIOImage(picture, null, metadata), param);
			out.flush();
			return bytes.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			writer.dispose();
		}
	}

	/**
	 * A lossless (VP8L) WebP written bit by bit, as the JDK has no WebP encoder: no transforms, and prefix codes of
	 * two symbols for green, red and blue (one bit each per pixel), so the picture is a pattern of eight colours.
	 */
	static byte[] losslessWebp(int width, int height) {
		LsbBitWriter bits = new LsbBitWriter();
		bits.write(0x2F, 8);
		bits.write(width - 1, 14);
		bits.write(height - 1, 14);
		bits.write(0, 1); // no alpha
		bits.write(0, 3); // version 0
		bits.write(0, 1); // no transform
		bits.write(0, 1); // no colour cache
		bits.write(0, 1); // no meta prefix codes
		twoSymbols(bits, 30, 220); // green
		twoSymbols(bits, 10, 240); // red
		twoSymbols(bits, 90, 160); // blue
		oneSymbol(bits, 255); // alpha
		oneSymbol(bits, 0); // distance
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				bits.write((x / 8) & 1, 1);
				bits.write((y / 8) & 1, 1);
				bits.write(((x + y) / 12) & 1, 1);
			}
		}
		byte[] data = bits.toByteArray();
		int padded = data.length + (data.length & 1);
		ByteBuffer riff = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
		riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + padded);
		riff.put("WEBPVP8L".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
		return riff.array();
	}

	private static void twoSymbols(LsbBitWriter bits, int first, int second) {
		bits.write(1, 1); // simple code
		bits.write(1, 1); // two symbols
		bits.write(1, 1); // the first in 8 bits
		bits.write(first, 8);
		bits.write(second, 8);
	}

	private static void oneSymbol(LsbBitWriter bits, int symbol) {
		bits.write(1, 1);
		bits.write(0, 1);
		bits.write(1, 1);
		bits.write(symbol, 8);
	}

}
