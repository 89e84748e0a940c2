package dev.avatars.png;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A zlib stream (RFC 1950) of one deflate block (RFC 1951, section 3.2.7) with a Huffman code made for the data
 * and no back-references: literals only, as zlib's {@code Z_HUFFMAN_ONLY}, but without zlib's match-finding
 * machinery, which it keeps running even then. On PNG-filtered photographs, whose bytes repeat little beyond what
 * the filter already removes, that costs a few percent of size against zlib's level 1 and saves most of its time
 * (docs/FACES.md, "Cutting the cost").
 * <p>
 * The data is given twice, in the same pieces: to a {@link Counter} for the histogram and the Adler-32, then to
 * the {@link Writer} of the {@link Code} made from them. Runs of zeros the caller knows of (a round thumbnail's
 * transparent corners) are counted and written as runs, not byte by byte.
 */
final class HuffmanDeflate {

	/** Literals 0–255 and the end of block. */
	private static final int LITERALS = 257;

	private static final int END_OF_BLOCK = 256;

	/**
	 * The longest code made. Deflate allows 15; with 14, four codes and the 7 bits a flush may leave fit in one
	 * long, so the writer stores once per four bytes without checking how full it is.
	 */
	static final int MAX_BITS = 14;

	/** The block's header: BFINAL, BTYPE, HLIT, HDIST, HCLEN, 19 code-length code lengths, 259 code lengths. */
	private static final int HEADER_BITS = 3 + 5 + 5 + 4 + 19 * 3 + (LITERALS + 2) * 4;

	/** The order in which the code-length code's lengths are sent (RFC 1951, 3.2.7). */
	private static final int[] CODE_LENGTH_ORDER = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

	private static final int ADLER_MODULUS = 65521;

	private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

	private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private HuffmanDeflate() {
	}

	/** Pass one: the histogram of the bytes and their Adler-32 (RFC 1950, 8.2), row by row. */
	static final class Counter {

		/**
		 * Four histograms, by the byte's position modulo 4 in a piece, so that an increment seldom waits on the one
		 * before. (Eight, two pixels of RGBA apart, measured slower.)
		 */
		private final int[] counts = new int[4 * 256];

		private long zeros;

		private long s1 = 1;

		private long s2;

		/** Counts {@code data[from..to)}: at most 65,536 bytes a call. */
		void literals(byte[] data, int from, int to) {
			int[] counts = this.counts;
			long s1 = this.s1;
			long s2 = this.s2;
			int i = from;
			for (; i <= to - 4; i += 4) {
				int word = (int) INT.get(data, i);
				int b0 = word & 0xFF;
				int b1 = (word >>> 8) & 0xFF;
				int b2 = (word >>> 16) & 0xFF;
				int b3 = word >>> 24;
				counts[b0]++;
				counts[256 + b1]++;
				counts[512 + b2]++;
				counts[768 + b3]++;
				s2 += 4 * s1 + 4 * b0 + 3 * b1 + 2 * b2 + b3;
				s1 += b0 + b1 + b2 + b3;
			}
			for (; i < to; i++) {
				int b = data[i] & 0xFF;
				counts[b]++;
				s1 += b;
				s2 += s1;
			}
			// Neither sum comes near overflowing a long in 65,536 bytes between these reductions.
			this.s1 = s1 % ADLER_MODULUS;
			this.s2 = s2 % ADLER_MODULUS;
		}

		/** Counts a run of zero bytes: at most 65,536 a call. */
		void zeros(int run) {
			this.zeros += run;
			this.s2 = (this.s2 + run * this.s1) % ADLER_MODULUS; // zeros add nothing to s1, s1 to s2 each
		}

		/** The code for what was counted (the end of block included). */
		Code code() {
			int[] frequencies = new int[LITERALS];
			for (int k = 0; k < this.counts.length; k++) {
				frequencies[k & 255] += this.counts[k];
			}
			frequencies[0] = Math.toIntExact(frequencies[0] + this.zeros);
			frequencies[END_OF_BLOCK] = 1;
			return new Code(frequencies, (int) ((this.s2 << 16) | this.s1));
		}

	}

	/** Pass two: the code made for the counted bytes, and the length of the zlib stream it writes. */
	static final class Code {

		/** Per symbol: the bit-reversed canonical code above 4 bits, its length in the low 4. */
		private final int[] table = new int[LITERALS];

		private final int adler;

		private final int streamLength;

		private Code(int[] frequencies, int adler) {
			int[] lengths = codeLengths(frequencies, MAX_BITS);
			int[] codes = reversedCanonicalCodes(lengths);
			long bits = HEADER_BITS;
			for (int s = 0; s < LITERALS; s++) {
				this.table[s] = (codes[s] << 4) | lengths[s];
				bits += (long) frequencies[s] * lengths[s];
			}
			this.adler = adler;
			// The zlib header, the block padded to a byte, the Adler-32.
			this.streamLength = Math.toIntExact(2 + (bits + 7) / 8 + 4);
		}

		/** How many bytes the zlib stream takes. */
		int streamLength() {
			return this.streamLength;
		}

		/**
		 * A writer of the stream into {@code out} from {@code at}, header and block header written. The writer
		 * stores 8 bytes at a time and may write up to 7 bytes of scratch beyond the stream's end, which the
		 * caller overwrites afterwards (in a PNG, the IDAT CRC and IEND follow).
		 */
		Writer writer(byte[] out, int at) {
			if (at < 0 || out.length - at < this.streamLength + 7) {
				throw new IllegalArgumentException("no room for the stream");
			}
			return new Writer(this, out, at);
		}

	}

	/** Bits least significant first, as deflate packs them, into the array up to 8 bytes at a time. */
	static final class Writer {

		private final Code code;

		private final byte[] out;

		private final int start;

		private int at;

		private long bits;

		/** Pending bits in {@link #bits}: below 8 between calls. */
		private int count;

		/** The code of byte 0 repeated as often as fits in 56 bits, for runs of zeros. */
		private final long zeroRun;

		private final int zerosPerRun;

		private final int zeroLength;

		private Writer(Code code, byte[] out, int at) {
			this.code = code;
			this.out = out;
			this.start = at;
			this.at = at;
			out[at] = 0x78; // deflate, 32 KB window
			out[at + 1] = 0x01; // fastest; (0x7801 % 31 == 0)
			this.at += 2;
			this.zeroLength = code.table[0] & 15;
			this.zerosPerRun = (this.zeroLength == 0) ? 0 : 56 / this.zeroLength;
			long run = 0;
			for (int k = 0; k < this.zerosPerRun; k++) {
				run |= (long) (code.table[0] >>> 4) << (k * this.zeroLength);
			}
			this.zeroRun = run;
			write(1, 1); // the final block
			write(2, 2); // dynamic Huffman codes
			write(LITERALS - 257, 5);
			write(2 - 1, 5); // two distance codes, neither used (as zlib always sends at least two)
			write(19 - 4, 4);
			// The code lengths themselves coded with 4 bits each: lengths 0–15 have codes of 4 bits, 16–18 none.
			for (int symbol : CODE_LENGTH_ORDER) {
				write((symbol < 16) ? 4 : 0, 3);
			}
			for (int s = 0; s < LITERALS; s++) {
				write(Integer.reverse(code.table[s] & 15) >>> 28, 4);
			}
			write(Integer.reverse(1) >>> 28, 4);
			write(Integer.reverse(1) >>> 28, 4);
		}

		private void write(int value, int length) {
			this.bits |= (long) value << this.count;
			this.count += length;
			flush();
		}

		private void flush() {
			LONG.set(this.out, this.at, this.bits);
			this.at += this.count >>> 3;
			this.bits >>>= this.count & ~7;
			this.count &= 7;
		}

		/** Writes the codes of {@code data[from..to)}: the bytes the counter saw, in the same order. */
		void literals(byte[] data, int from, int to) {
			int[] table = this.code.table;
			byte[] out = this.out;
			int at = this.at;
			long bits = this.bits;
			int count = this.count;
			int i = from;
			// The hot loop, on locals: four codes joined first (at most 4 × 14 bits), then added to the 7 bits or
			// fewer pending and stored at once, so the chain from one group to the next is only a few operations.
			for (; i <= to - 4; i += 4) {
				int word = (int) INT.get(data, i);
				int e0 = table[word & 0xFF];
				int e1 = table[(word >>> 8) & 0xFF];
				int e2 = table[(word >>> 16) & 0xFF];
				int e3 = table[word >>> 24];
				int l0 = e0 & 15;
				int l01 = l0 + (e1 & 15);
				int l2 = e2 & 15;
				long low = (e0 >>> 4) | ((long) (e1 >>> 4) << l0);
				long high = (e2 >>> 4) | ((long) (e3 >>> 4) << l2);
				bits |= (low | (high << l01)) << count;
				count += l01 + l2 + (e3 & 15);
				LONG.set(out, at, bits);
				at += count >>> 3;
				bits >>>= count & ~7;
				count &= 7;
			}
			for (; i < to; i++) {
				int e = table[data[i] & 0xFF];
				bits |= (long) (e >>> 4) << count;
				count += e & 15;
				LONG.set(out, at, bits);
				at += count >>> 3;
				bits >>>= count & ~7;
				count &= 7;
			}
			this.at = at;
			this.bits = bits;
			this.count = count;
		}

		/** Writes a run of zero bytes, as many codes at a time as fit in 56 bits. */
		void zeros(int run) {
			if (run > 0 && this.zeroLength == 0) {
				throw new IllegalStateException("zeros written that were not counted");
			}
			int left = run;
			while (left > 0 && left >= this.zerosPerRun) {
				this.bits |= this.zeroRun << this.count;
				this.count += this.zerosPerRun * this.zeroLength;
				flush();
				left -= this.zerosPerRun;
			}
			if (left > 0) {
				int length = left * this.zeroLength;
				this.bits |= (this.zeroRun & ((1L << length) - 1)) << this.count;
				this.count += length;
				flush();
			}
		}

		/** Ends the block and the stream (padding, Adler-32); the index after it. */
		int finish() {
			int end = this.code.table[END_OF_BLOCK];
			write(end >>> 4, end & 15);
			if (this.count > 0) {
				this.at++;
			}
			int adler = this.code.adler;
			this.out[this.at] = (byte) (adler >>> 24);
			this.out[this.at + 1] = (byte) (adler >>> 16);
			this.out[this.at + 2] = (byte) (adler >>> 8);
			this.out[this.at + 3] = (byte) adler;
			this.at += 4;
			if (this.at - this.start != this.code.streamLength) {
				throw new IllegalStateException("the rows written are not the rows counted");
			}
			return this.at;
		}

	}

	/**
	 * Huffman code lengths of at most {@code maxBits} for the symbols of non-zero frequency (0 for the rest).
	 * Where the optimal code is too deep, the frequencies are halved (keeping them above 0) and the code made
	 * again: a little less optimal, only on skewed data, and each halving flattens the tree.
	 */
	static int[] codeLengths(int[] frequencies, int maxBits) {
		int[] weights = frequencies.clone();
		while (true) {
			int[] lengths = huffman(weights);
			if (Arrays.stream(lengths).max().orElse(0) <= maxBits) {
				return lengths;
			}
			for (int s = 0; s < weights.length; s++) {
				if (weights[s] > 0) {
					weights[s] = (weights[s] >>> 1) | 1;
				}
			}
		}
	}

	/** Optimal code lengths by the two-queue method on the leaves sorted by weight; a lone symbol gets 1 bit. */
	private static int[] huffman(int[] weights) {
		int[] lengths = new int[weights.length];
		long[] leaves = new long[weights.length];
		int count = 0;
		for (int s = 0; s < weights.length; s++) {
			if (weights[s] > 0) {
				leaves[count++] = ((long) weights[s] << 16) | s;
			}
		}
		if (count == 0) {
			return lengths;
		}
		if (count == 1) {
			lengths[(int) (leaves[0] & 0xFFFF)] = 1;
			return lengths;
		}
		Arrays.sort(leaves, 0, count);
		// Nodes 0..count-1 are the leaves in order, count.. the joins in the order made (ascending weight).
		long[] weight = new long[2 * count - 1];
		int[] parent = new int[2 * count - 1];
		for (int i = 0; i < count; i++) {
			weight[i] = leaves[i] >>> 16;
		}
		int leaf = 0;
		int join = count;
		for (int made = count; made < 2 * count - 1; made++) {
			int first = (leaf < count && (join >= made || weight[leaf] <= weight[join])) ? leaf++ : join++;
			int second = (leaf < count && (join >= made || weight[leaf] <= weight[join])) ? leaf++ : join++;
			weight[made] = weight[first] + weight[second];
			parent[first] = made;
			parent[second] = made;
		}
		int root = 2 * count - 2;
		int[] depth = new int[2 * count - 1];
		for (int node = root - 1; node >= 0; node--) {
			depth[node] = depth[parent[node]] + 1;
		}
		for (int i = 0; i < count; i++) {
			lengths[(int) (leaves[i] & 0xFFFF)] = depth[i];
		}
		return lengths;
	}

	/** The canonical codes of these lengths (RFC 1951, 3.2.2), bit-reversed, as deflate sends them. */
	private static int[] reversedCanonicalCodes(int[] lengths) {
		int[] perLength = new int[16];
		for (int length : lengths) {
			perLength[length]++;
		}
		perLength[0] = 0;
		int[] next = new int[16];
		int code = 0;
		for (int bits = 1; bits < 16; bits++) {
			code = (code + perLength[bits - 1]) << 1;
			next[bits] = code;
		}
		int[] codes = new int[lengths.length];
		for (int s = 0; s < lengths.length; s++) {
			if (lengths[s] > 0) {
				codes[s] = Integer.reverse(next[lengths[s]]++) >>> (32 - lengths[s]);
			}
		}
		return codes;
	}

}
