package dev.avatars.thumbnail;

import java.util.List;

/**
 * What one picture became: its square thumbnails, the round ones (empty unless asked for), and the square kept.
 */
public record Rendering(List<Thumbnail> squares, List<Thumbnail> circles, Framing framing) {

	public Rendering {
		squares = List.copyOf(squares);
		circles = List.copyOf(circles);
	}

}
