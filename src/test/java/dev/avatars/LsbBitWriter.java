package dev.avatars;

import java.io.ByteArrayOutputStream;

/** Bits least significant first, as VP8L (lossless WebP) reads them: the tests write such files by hand. */
public final class LsbBitWriter {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private int current;

	private int used;

	public void write(int value, int count) {
		for (int i = 0; i < count; i++) {
			this.current |= ((value >>> i) & 1) << this.used;
			if (++this.used == 8) {
				this.out.write(this.current);
				this.current = 0;
				this.used = 0;
			}
		}
	}

	public byte[] toByteArray() {
		if (this.used > 0) {
			this.out.write(this.current);
			this.current = 0;
			this.used = 0;
		}
		return this.out.toByteArray();
	}

}
