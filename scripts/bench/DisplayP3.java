import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a Display P3 ICC profile made from the JDK's sRGB one: P3 primaries (D50-adapted, as Apple's profile
 * states them), D65 white, the sRGB curves. No Debian package ships one.
 *
 * <pre>
 * java scripts/bench/DisplayP3.java OUT.icc
 * </pre>
 */
public class DisplayP3 {

	public static void main(String[] args) throws Exception {
		ICC_Profile profile = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
		profile.setData(ICC_Profile.icSigRedColorantTag, xyz(0.515102, 0.241196, -0.001053));
		profile.setData(ICC_Profile.icSigGreenColorantTag, xyz(0.291965, 0.692245, 0.041887));
		profile.setData(ICC_Profile.icSigBlueColorantTag, xyz(0.157153, 0.066561, 0.784978));
		profile.setData(ICC_Profile.icSigProfileDescriptionTag, description("Display P3 (made with the JDK)"));
		Files.write(Path.of(args[0]), profile.getData());
	}

	private static byte[] xyz(double x, double y, double z) {
		return ByteBuffer.allocate(20).put("XYZ ".getBytes(StandardCharsets.US_ASCII)).putInt(0)
			.putInt((int) Math.round(x * 65536)).putInt((int) Math.round(y * 65536)).putInt((int) Math.round(z * 65536))
			.array();
	}

	/** An ICC v2 textDescriptionType: the ASCII text, no Unicode or ScriptCode one. */
	private static byte[] description(String text) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes("desc".getBytes(StandardCharsets.US_ASCII));
		out.writeBytes(new byte[4]);
		out.writeBytes(ByteBuffer.allocate(4).putInt(text.length() + 1).array());
		out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
		out.write(0);
		out.writeBytes(new byte[4 + 4 + 2 + 1 + 67]);
		return out.toByteArray();
	}

}
