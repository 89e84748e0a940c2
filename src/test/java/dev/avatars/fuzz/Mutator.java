package dev.avatars.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.StringJoiner;
import java.util.zip.CRC32;

import dev.avatars.fuzz.FuzzSeeds.Seed;

/**
 * Seeded mutations of image files. Mutant {@code n} is seed file {@code n mod seeds} changed by one to three
 * mutations drawn from a {@link Random} seeded with {@code n}: the number alone reproduces it.
 *
 * <p>Besides blind ones (bit flips, bytes and words set to edge values, truncation, a slice copied), the mutations
 * know the containers: JPEG segments, PNG chunks, RIFF (WebP) chunks, GIF blocks and the BMP headers. They copy or
 * drop a whole segment or chunk, set a length field to a larger (or smaller) value, and change the dimensions a
 * header states. A PNG mutant has its CRCs recomputed half of the time, so decoders that check them look deeper.
 */
public final class Mutator {

	/** One mutated file and how it was made. */
	public record Mutant(long number, Seed seed, String mutation, byte[] bytes) {

	}

	private static final int[] BYTES = { 0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE };

	private static final long[] WORDS = { 0, 0xFFFF, 0x7FFF, 0x8000, 0x10000, 0xFFFFFF, 0x7FFFFFFFL, 0x80000000L,
			0xFFFFFFFFL };

	private final List<Seed> seeds;

	public Mutator(List<Seed> seeds) {
		this.seeds = seeds;
	}

	List<Seed> seeds() {
		return this.seeds;
	}

	public Mutant mutant(long number) {
		Seed seed = this.seeds.get((int) Math.floorMod(number, (long) this.seeds.size()));
		Random random = new Random(number * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
		byte[] bytes = seed.bytes().clone();
		StringJoiner mutation = new StringJoiner("; ");
		int roll = random.nextInt(20);
		int steps = (roll < 12) ? 1 : (roll < 17) ? 2 : 3;
		for (int i = 0; i < steps || Arrays.equals(bytes, seed.bytes()); i++) {
			// A step can leave the file as it was (a length halved from 0): then one more.
			bytes = step(bytes, random, mutation);
		}
		if (isPng(seed.bytes()) && random.nextBoolean() && fixPngCrcs(bytes)) {
			mutation.add("PNG CRCs recomputed");
		}
		return new Mutant(number, seed, mutation.toString(), bytes);
	}

	private static byte[] step(byte[] bytes, Random random, StringJoiner mutation) {
		Structure structure = Structure.of(bytes);
		int kind = random.nextInt(100);
		if (bytes.length == 0) {
			mutation.add("(empty file left as is)");
			return bytes;
		}
		if (kind < 18) {
			int flips = 1 + random.nextInt(8);
			StringJoiner at = new StringJoiner(",");
			for (int i = 0; i < flips; i++) {
				int pos = position(random, bytes.length);
				int bit = random.nextInt(8);
				bytes[pos] ^= (byte) (1 << bit);
				at.add(hex(pos) + "." + bit);
			}
			mutation.add("flip bits " + at);
			return bytes;
		}
		if (kind < 32) {
			int pos = position(random, bytes.length);
			int value = BYTES[random.nextInt(BYTES.length)];
			bytes[pos] = (byte) value;
			mutation.add("byte " + hex(pos) + "=" + hex(value));
			return bytes;
		}
		if (kind < 42) {
			int width = random.nextBoolean() ? 2 : 4;
			boolean bigEndian = random.nextBoolean();
			int pos = position(random, Math.max(1, bytes.length - width + 1));
			long value = WORDS[random.nextInt(WORDS.length)];
			Field field = new Field("word", pos, width, bigEndian, 0, 8 * width, 0);
			if (field.fits(bytes)) {
				field.write(bytes, value);
				mutation.add("word" + (8 * width) + (bigEndian ? "be " : "le ") + hex(pos) + "=" + hex(value));
			}
			else {
				mutation.add("(word past the end skipped)");
			}
			return bytes;
		}
		if (kind < 52) {
			int third = random.nextInt(3);
			int length = (third == 0) ? random.nextInt(Math.min(bytes.length, 64))
					: (third == 1) ? random.nextInt(bytes.length)
							: Math.max(0, bytes.length - 1 - random.nextInt(Math.min(bytes.length, 32)));
			mutation.add("truncate to " + length + " of " + bytes.length);
			return Arrays.copyOf(bytes, length);
		}
		if (kind < 62) {
			Part part = structure.parts.isEmpty() ? slice(random, bytes.length)
					: structure.parts.get(random.nextInt(structure.parts.size()));
			int at = random.nextBoolean() ? part.end() : structure.boundary(random, bytes.length);
			mutation.add("copy " + part + " to " + hex(at));
			return insert(bytes, at, Arrays.copyOfRange(bytes, part.offset, part.end()));
		}
		if (kind < 67) {
			Part part = structure.parts.isEmpty() ? slice(random, bytes.length)
					: structure.parts.get(random.nextInt(structure.parts.size()));
			mutation.add("drop " + part);
			byte[] shorter = new byte[bytes.length - part.length];
			System.arraycopy(bytes, 0, shorter, 0, part.offset);
			System.arraycopy(bytes, part.end(), shorter, part.offset, bytes.length - part.end());
			return shorter;
		}
		if (kind < 84 && !structure.lengths.isEmpty()) {
			Field field = structure.lengths.get(random.nextInt(structure.lengths.size()));
			long old = field.read(bytes);
			long value = switch (random.nextInt(9)) {
				case 0 -> old + 1;
				case 1 -> old * 2;
				case 2 -> old + 1 + random.nextInt(4096);
				case 3 -> field.max();
				case 4 -> 0x7FFFFFFFL;
				case 5 -> 0x80000000L;
				case 6 -> 0;
				case 7 -> old - 1;
				default -> old / 2;
			};
			field.write(bytes, value);
			mutation.add("length " + field + " " + old + "->" + field.read(bytes));
			return bytes;
		}
		if (!structure.dimensions.isEmpty()) {
			Field field = structure.dimensions.get(random.nextInt(structure.dimensions.size()));
			long old = field.read(bytes);
			long value = switch (random.nextInt(11)) {
				case 0 -> 0;
				case 1 -> 1;
				case 2 -> old * 2;
				case 3 -> old * 16;
				case 4 -> old + 1;
				case 5 -> old - 1;
				case 6 -> field.max();
				case 7 -> field.max() / 2;
				case 8 -> 0x7FFF;
				case 9 -> -old;
				default -> 1 + random.nextInt(65535);
			};
			field.write(bytes, value);
			mutation.add("dimension " + field + " " + old + "->" + field.read(bytes));
			return bytes;
		}
		// A format without such fields: a word near the start, where headers are.
		int pos = random.nextInt(Math.max(1, Math.min(bytes.length - 3, 32)));
		Field field = new Field("word", pos, 4, true, 0, 32, 0);
		if (field.fits(bytes)) {
			field.write(bytes, 0x7FFFFFFFL);
			mutation.add("word32be " + hex(pos) + "=0x7fffffff");
		}
		return bytes;
	}

	/** Half of the time in the first 512 bytes, where the headers are. */
	private static int position(Random random, int length) {
		return random.nextBoolean() ? random.nextInt(Math.min(length, 512)) : random.nextInt(length);
	}

	private static Part slice(Random random, int length) {
		int offset = random.nextInt(length);
		int size = 1 + random.nextInt(Math.min(length - offset, 1 + random.nextInt(256)));
		return new Part("bytes", offset, size);
	}

	private static byte[] insert(byte[] bytes, int at, byte[] copy) {
		byte[] longer = new byte[bytes.length + copy.length];
		System.arraycopy(bytes, 0, longer, 0, at);
		System.arraycopy(copy, 0, longer, at, copy.length);
		System.arraycopy(bytes, at, longer, at + copy.length, bytes.length - at);
		return longer;
	}

	static boolean isPng(byte[] bytes) {
		return bytes.length >= 8 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G';
	}

	/** @return whether any chunk's CRC was rewritten */
	private static boolean fixPngCrcs(byte[] bytes) {
		boolean any = false;
		int pos = 8;
		while (pos + 12 <= bytes.length) {
			long length = Field.u32be(bytes, pos);
			if (length > bytes.length - pos - 12) {
				break;
			}
			CRC32 crc = new CRC32();
			crc.update(bytes, pos + 4, 4 + (int) length);
			new Field("crc", pos + 8 + (int) length, 4, true, 0, 32, 0).write(bytes, crc.getValue());
			any = true;
			pos += 12 + (int) length;
		}
		return any;
	}

	static String hex(long value) {
		return "0x" + Long.toHexString(value);
	}

	/** A segment, chunk or block: what can be copied or dropped whole. */
	record Part(String name, int offset, int length) {

		int end() {
			return this.offset + this.length;
		}

		@Override
		public String toString() {
			return this.name + "@" + hex(this.offset) + "+" + this.length;
		}

	}

	/**
	 * A number in a header: {@code bits} bits at {@code shift} within a {@code width}-byte word, stored as the value
	 * minus {@code bias} (WebP stores width − 1).
	 */
	record Field(String name, int offset, int width, boolean bigEndian, int shift, int bits, int bias) {

		long mask() {
			return (this.bits == 64) ? -1 : (1L << this.bits) - 1;
		}

		long max() {
			return mask() + this.bias;
		}

		boolean fits(byte[] bytes) {
			return this.offset >= 0 && this.offset + this.width <= bytes.length;
		}

		long word(byte[] bytes) {
			long word = 0;
			for (int i = 0; i < this.width; i++) {
				int b = bytes[this.offset + (this.bigEndian ? i : this.width - 1 - i)] & 0xFF;
				word = word << 8 | b;
			}
			return word;
		}

		long read(byte[] bytes) {
			return ((word(bytes) >>> this.shift) & mask()) + this.bias;
		}

		void write(byte[] bytes, long value) {
			long word = word(bytes) & ~(mask() << this.shift) | ((value - this.bias) & mask()) << this.shift;
			for (int i = 0; i < this.width; i++) {
				int at = this.offset + (this.bigEndian ? this.width - 1 - i : i);
				bytes[at] = (byte) (word >>> (8 * i));
			}
		}

		static long u32be(byte[] bytes, int offset) {
			return new Field("", offset, 4, true, 0, 32, 0).read(bytes);
		}

		@Override
		public String toString() {
			return this.name + "@" + hex(this.offset);
		}

	}

	/** What a file's container says about itself, as far as it can be parsed. */
	static final class Structure {

		final List<Part> parts = new ArrayList<>();

		final List<Field> lengths = new ArrayList<>();

		final List<Field> dimensions = new ArrayList<>();

		/** The start or end of some part, or a random place when there are none. */
		int boundary(Random random, int length) {
			if (this.parts.isEmpty()) {
				return random.nextInt(length + 1);
			}
			Part part = this.parts.get(random.nextInt(this.parts.size()));
			return random.nextBoolean() ? part.offset : part.end();
		}

		static Structure of(byte[] bytes) {
			Structure structure = new Structure();
			try {
				if (bytes.length >= 4 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8) {
					structure.jpeg(bytes);
				}
				else if (isPng(bytes)) {
					structure.png(bytes);
				}
				else if (bytes.length >= 12 && ascii(bytes, 0, 4).equals("RIFF") && ascii(bytes, 8, 4).equals("WEBP")) {
					structure.riff(bytes);
				}
				else if (bytes.length >= 13 && ascii(bytes, 0, 4).equals("GIF8")) {
					structure.gif(bytes);
				}
				else if (bytes.length >= 30 && ascii(bytes, 0, 2).equals("BM")) {
					structure.bmp(bytes);
				}
			}
			catch (IndexOutOfBoundsException ex) {
				// A damaged container: what was parsed before the damage is still worth mutating.
			}
			structure.parts.removeIf((part) -> part.length <= 0 || part.end() > bytes.length);
			structure.lengths.removeIf((field) -> !field.fits(bytes));
			structure.dimensions.removeIf((field) -> !field.fits(bytes));
			return structure;
		}

		private void jpeg(byte[] b) {
			int pos = 2;
			while (pos + 4 <= b.length && (b[pos] & 0xFF) == 0xFF) {
				int marker = b[pos + 1] & 0xFF;
				if (marker == 0xFF) {
					pos++;
					continue;
				}
				if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
					pos += 2;
					continue;
				}
				if (marker == 0xD9) {
					break;
				}
				String name = "JPEG " + String.format(Locale.ROOT, "FF%02X", marker);
				int length = (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
				this.lengths.add(new Field(name + " length", pos + 2, 2, true, 0, 16, 0));
				boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
				if (frame) {
					this.dimensions.add(new Field(name + " height", pos + 5, 2, true, 0, 16, 0));
					this.dimensions.add(new Field(name + " width", pos + 7, 2, true, 0, 16, 0));
				}
				int end = pos + 2 + length;
				if (marker == 0xDA) {
					// The scan's entropy-coded data runs to the next marker other than a restart or a stuffed byte.
					while (end + 1 < b.length && !((b[end] & 0xFF) == 0xFF && (b[end + 1] & 0xFF) != 0
							&& ((b[end + 1] & 0xFF) < 0xD0 || (b[end + 1] & 0xFF) > 0xD7))) {
						end++;
					}
					name += "+scan";
				}
				this.parts.add(new Part(name, pos, end - pos));
				pos = end;
			}
		}

		private void png(byte[] b) {
			int pos = 8;
			while (pos + 12 <= b.length) {
				long length = Field.u32be(b, pos);
				String type = ascii(b, pos + 4, 4);
				this.lengths.add(new Field("PNG " + type + " length", pos, 4, true, 0, 32, 0));
				if (type.equals("IHDR")) {
					this.dimensions.add(new Field("PNG IHDR width", pos + 8, 4, true, 0, 32, 0));
					this.dimensions.add(new Field("PNG IHDR height", pos + 12, 4, true, 0, 32, 0));
				}
				if (length > b.length - pos - 12) {
					break;
				}
				this.parts.add(new Part("PNG " + type, pos, 12 + (int) length));
				pos += 12 + (int) length;
			}
		}

		private void riff(byte[] b) {
			this.lengths.add(new Field("RIFF size", 4, 4, false, 0, 32, 0));
			int pos = 12;
			while (pos + 8 <= b.length) {
				String type = ascii(b, pos, 4).trim();
				long size = new Field("", pos + 4, 4, false, 0, 32, 0).read(b);
				this.lengths.add(new Field("WebP " + type + " size", pos + 4, 4, false, 0, 32, 0));
				int data = pos + 8;
				switch (type) {
					case "VP8X" -> {
						this.dimensions.add(new Field("VP8X canvas width", data + 4, 3, false, 0, 24, 1));
						this.dimensions.add(new Field("VP8X canvas height", data + 7, 3, false, 0, 24, 1));
					}
					case "VP8" -> {
						this.dimensions.add(new Field("VP8 width", data + 6, 2, false, 0, 14, 0));
						this.dimensions.add(new Field("VP8 height", data + 8, 2, false, 0, 14, 0));
					}
					case "VP8L" -> {
						this.dimensions.add(new Field("VP8L width", data + 1, 4, false, 0, 14, 1));
						this.dimensions.add(new Field("VP8L height", data + 1, 4, false, 14, 14, 1));
					}
					case "ANMF" -> {
						this.dimensions.add(new Field("ANMF width", data + 6, 3, false, 0, 24, 1));
						this.dimensions.add(new Field("ANMF height", data + 9, 3, false, 0, 24, 1));
					}
					default -> {
					}
				}
				long padded = size + (size & 1);
				if (padded > b.length - data) {
					break;
				}
				this.parts.add(new Part("WebP " + type, pos, 8 + (int) padded));
				pos = data + (int) padded;
			}
		}

		private void gif(byte[] b) {
			this.dimensions.add(new Field("GIF screen width", 6, 2, false, 0, 16, 0));
			this.dimensions.add(new Field("GIF screen height", 8, 2, false, 0, 16, 0));
			int flags = b[10] & 0xFF;
			int pos = 13 + (((flags & 0x80) != 0) ? 3 << ((flags & 7) + 1) : 0);
			while (pos < b.length) {
				int introducer = b[pos] & 0xFF;
				int start = pos;
				String name;
				if (introducer == 0x21) {
					name = String.format(Locale.ROOT, "GIF extension %02X", b[pos + 1] & 0xFF);
					pos += 2;
				}
				else if (introducer == 0x2C) {
					name = "GIF image";
					this.dimensions.add(new Field("GIF image width", pos + 5, 2, false, 0, 16, 0));
					this.dimensions.add(new Field("GIF image height", pos + 7, 2, false, 0, 16, 0));
					int local = b[pos + 9] & 0xFF;
					pos += 10 + (((local & 0x80) != 0) ? 3 << ((local & 7) + 1) : 0);
					// The LZW minimum code size: a length of sorts, 2 to 8 when valid.
					this.lengths.add(new Field("GIF LZW code size", pos, 1, false, 0, 8, 0));
					pos++;
				}
				else {
					break;
				}
				this.lengths.add(new Field(name + " sub-block size", pos, 1, false, 0, 8, 0));
				while (pos < b.length && b[pos] != 0) {
					pos += 1 + (b[pos] & 0xFF);
				}
				pos++;
				this.parts.add(new Part(name, start, pos - start));
			}
		}

		private void bmp(byte[] b) {
			this.lengths.add(new Field("BMP file size", 2, 4, false, 0, 32, 0));
			this.lengths.add(new Field("BMP pixel offset", 10, 4, false, 0, 32, 0));
			this.lengths.add(new Field("BMP header size", 14, 4, false, 0, 32, 0));
			this.lengths.add(new Field("BMP image size", 34, 4, false, 0, 32, 0));
			this.lengths.add(new Field("BMP colours used", 46, 4, false, 0, 32, 0));
			this.dimensions.add(new Field("BMP width", 18, 4, false, 0, 32, 0));
			this.dimensions.add(new Field("BMP height", 22, 4, false, 0, 32, 0));
			this.dimensions.add(new Field("BMP bits per pixel", 28, 2, false, 0, 16, 0));
			int headers = 14 + (int) new Field("", 14, 4, false, 0, 32, 0).read(b);
			long pixels = new Field("", 10, 4, false, 0, 32, 0).read(b);
			this.parts.add(new Part("BMP headers", 0, headers));
			if (pixels > headers && pixels <= b.length) {
				this.parts.add(new Part("BMP palette", headers, (int) pixels - headers));
			}
			if (pixels < b.length) {
				int rows = (int) Math.min(b.length - pixels, 4096);
				this.parts.add(new Part("BMP pixel rows", (int) pixels, rows));
			}
		}

		private static String ascii(byte[] bytes, int offset, int length) {
			char[] chars = new char[length];
			for (int i = 0; i < length; i++) {
				int c = bytes[offset + i] & 0xFF;
				chars[i] = (c >= 0x20 && c < 0x7F) ? (char) c : '?';
			}
			return new String(chars);
		}

	}

}
