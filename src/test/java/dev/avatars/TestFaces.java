package dev.avatars;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Public-domain portraits (see src/test/resources/faces/README.md) with their face boxes drawn by hand once, and
 * pictures composed from them: a portrait placed anywhere on a landscape, at any width.
 */
public final class TestFaces {

	/** A portrait and its face, eyebrows to chin and cheek to cheek, in the portrait's pixels. */
	public enum Portrait {

		ASTRONAUT("/faces/astronaut.jpg", new Rectangle(176, 78, 102, 104)),
		HOPPER("/faces/grace_hopper.jpg", new Rectangle(162, 140, 210, 190));

		private final String resource;

		private final Rectangle face;

		Portrait(String resource, Rectangle face) {
			this.resource = resource;
			this.face = face;
		}

		public BufferedImage image() {
			try (java.io.InputStream in = TestFaces.class.getResourceAsStream(this.resource)) {
				return ImageIO.read(in);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		public Rectangle face() {
			return new Rectangle(this.face);
		}

	}

	/** A picture made of portraits, and where their faces ended up. */
	public record Composed(BufferedImage image, List<Rectangle> faces) {
	}

	private final BufferedImage canvas;

	private final List<Rectangle> faces = new ArrayList<>();

	private TestFaces(BufferedImage canvas) {
		this.canvas = canvas;
	}

	/** A landscape with no face in it: sky, hills, grass with some texture, the same for the same size. */
	public static TestFaces landscape(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Random random = new Random(width * 31L + height);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				double horizon = height * (0.55 + 0.08 * Math.sin(x * 6.0 / width));
				int r;
				int g;
				int b;
				if (y < horizon) {
					r = 120 + (int) (60.0 * y / height);
					g = 170 + (int) (40.0 * y / height);
					b = 230;
				}
				else {
					r = 60;
					g = 120 + (int) (50.0 * (y - horizon) / height);
					b = 50;
				}
				int grain = random.nextInt(17) - 8;
				image.setRGB(x, y, new Color(clamp(r + grain), clamp(g + grain), clamp(b + grain)).getRGB());
			}
		}
		return new TestFaces(image);
	}

	/** Portraits on this picture (not copied: it is drawn on). */
	public static TestFaces on(BufferedImage background) {
		return new TestFaces(background);
	}

	/** Places the portrait, scaled to this width, with its top-left corner here. */
	public TestFaces with(Portrait portrait, int x, int y, int width) {
		BufferedImage image = portrait.image();
		double scale = width / (double) image.getWidth();
		int height = (int) Math.round(image.getHeight() * scale);
		Graphics2D g = this.canvas.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
		g.drawImage(image, x, y, width, height, null);
		g.dispose();
		Rectangle face = portrait.face();
		this.faces.add(new Rectangle(x + (int) Math.round(face.x * scale), y + (int) Math.round(face.y * scale),
				(int) Math.round(face.width * scale), (int) Math.round(face.height * scale)));
		return this;
	}

	public Composed done() {
		return new Composed(this.canvas, List.copyOf(this.faces));
	}

	private static int clamp(int value) {
		return Math.max(0, Math.min(255, value));
	}

}
