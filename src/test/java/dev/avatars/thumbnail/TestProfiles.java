package dev.avatars.thumbnail;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Colour profiles made here from the JDK's sRGB one, with other primaries and curves, and LittleCMS's own
 * conversion of a colour as the reference the thumbnails are held to.
 */
public final class TestProfiles {

	private TestProfiles() {
	}

	/** Display P3: P3 primaries (D50-adapted, as Apple's profile states them), D65 white, the sRGB curves. */
	public static byte[] displayP3() {
		ICC_Profile profile = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
		profile.setData(ICC_Profile.icSigRedColorantTag, xyz(0.515102, 0.241196, -0.001053));
		profile.setData(ICC_Profile.icSigGreenColorantTag, xyz(0.291965, 0.692245, 0.041887));
		profile.setData(ICC_Profile.icSigBlueColorantTag, xyz(0.157153, 0.066561, 0.784978));
		return profile.getData();
	}

	/** Adobe RGB (1998): its primaries (D50-adapted) and a pure gamma of 563/256. */
	public static byte[] adobeRgb() {
		ICC_Profile profile = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
		profile.setData(ICC_Profile.icSigRedColorantTag, xyz(0.609741, 0.311111, 0.019470));
		profile.setData(ICC_Profile.icSigGreenColorantTag, xyz(0.205276, 0.625671, 0.060867));
		profile.setData(ICC_Profile.icSigBlueColorantTag, xyz(0.149185, 0.063217, 0.744568));
		byte[] gamma = { 'c', 'u', 'r', 'v', 0, 0, 0, 0, 0, 0, 0, 1, 0x02, 0x33 };
		profile.setData(ICC_Profile.icSigRedTRCTag, gamma);
		profile.setData(ICC_Profile.icSigGreenTRCTag, gamma);
		profile.setData(ICC_Profile.icSigBlueTRCTag, gamma);
		return profile.getData();
	}

	/**
	 * Display P3 with its curves as tables of {@code entries} points each (2 bytes a point): from 22,000 on, the
	 * profile needs several APP2 segments.
	 */
	public static byte[] largeDisplayP3(int entries) {
		ICC_Profile profile = ICC_Profile.getInstance(displayP3());
		ByteBuffer curve = ByteBuffer.allocate(12 + 2 * entries);
		curve.put("curv".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(entries);
		for (int i = 0; i < entries; i++) {
			double v = i / (double) (entries - 1);
			double linear = (v <= 0.04045) ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
			curve.putShort((short) Math.round(linear * 65535));
		}
		profile.setData(ICC_Profile.icSigRedTRCTag, curve.array());
		profile.setData(ICC_Profile.icSigGreenTRCTag, curve.array());
		profile.setData(ICC_Profile.icSigBlueTRCTag, curve.array());
		return profile.getData();
	}

	private static byte[] xyz(double x, double y, double z) {
		ByteBuffer tag = ByteBuffer.allocate(20);
		tag.put("XYZ ".getBytes(StandardCharsets.US_ASCII)).putInt(0);
		tag.putInt((int) Math.round(x * 65536)).putInt((int) Math.round(y * 65536)).putInt((int) Math.round(z * 65536));
		return tag.array();
	}

	/** LittleCMS's conversion (through the JDK) of one 8-bit colour in {@code profile} to sRGB. */
	public static int[] toSrgb(byte[] profile, int red, int green, int blue) {
		int rgb = toSrgb(profile, new int[] { red << 16 | green << 8 | blue })[0];
		return new int[] { (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF };
	}

	/** LittleCMS's conversion of {@code 0xRRGGBB} colours in {@code profile} to sRGB, in one go. */
	public static int[] toSrgb(byte[] profile, int[] colours) {
		ICC_ColorSpace space = new ICC_ColorSpace(ICC_Profile.getInstance(profile));
		ComponentColorModel model = new ComponentColorModel(space, false, false, Transparency.OPAQUE,
				DataBuffer.TYPE_BYTE);
		byte[] samples = new byte[colours.length * 3];
		for (int i = 0; i < colours.length; i++) {
			samples[3 * i] = (byte) (colours[i] >> 16);
			samples[3 * i + 1] = (byte) (colours[i] >> 8);
			samples[3 * i + 2] = (byte) colours[i];
		}
		WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(samples, samples.length),
				colours.length, 1, samples.length, 3, new int[] { 0, 1, 2 }, null);
		BufferedImage source = new BufferedImage(model, raster, false, null);
		BufferedImage target = new BufferedImage(colours.length, 1, BufferedImage.TYPE_INT_RGB);
		new ColorConvertOp(null).filter(source, target);
		return target.getRGB(0, 0, colours.length, 1, null, 0, colours.length);
	}

	/**
	 * The JPEG with {@code profile} in APP2 ICC_PROFILE segments of at most {@code chunk} bytes of profile each,
	 * right after SOI, in reverse order when {@code reversed} (the standard numbers them; order is not promised).
	 */
	public static byte[] withProfile(byte[] jpeg, byte[] profile, int chunk, boolean reversed) {
		int count = (profile.length + chunk - 1) / chunk;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(0xFF);
		out.write(0xD8);
		for (int n = 0; n < count; n++) {
			int i = reversed ? count - 1 - n : n;
			int from = i * chunk;
			int length = Math.min(chunk, profile.length - from);
			int segment = 2 + 12 + 2 + length;
			out.write(0xFF);
			out.write(0xE2);
			out.write(segment >> 8);
			out.write(segment & 0xFF);
			out.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII));
			out.write(i + 1);
			out.write(count);
			out.write(profile, from, length);
		}
		out.write(jpeg, 2, jpeg.length - 2);
		return out.toByteArray();
	}

}
