package dev.avatars.avatar;

/** Width and height as an image's header states them (the first frame's, the canvas for WebP and GIF). */
record ImageHeader(int width, int height) {

	long pixels() {
		return (long) this.width * this.height;
	}

}
