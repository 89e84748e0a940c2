package dev.avatars.png;

import java.util.Arrays;
import java.util.zip.Adler32;

/**
 * For the probes only: {@link HuffmanDeflate} as it was at commit 2724100 (a histogram pass, then a bit writer
 * over the filtered bytes, 32 bits at a time), for {@link EarlierPngEncoder}. A zlib stream (RFC 1950) of one
 * deflate block (RFC 1951, section 3.2.7) with a Huffman code made for the data and no back-references: literals
 * only, as zlib's {@code Z_HUFFMAN_ONLY}, without zlib's match-finding machinery.
 */
final class EarlierHuffmanDeflate {

	/** Literals 0–255 and the end of block. */
	private static final int LITERALS = 257;

	private static final int END_OF_BLOCK = 256;

	private static final int MAX_BITS = 15;

	/** The order in which the code-length code's lengths are sent (RFC 1951, 3.2.7). */
	private static final int[] CODE_LENGTH_ORDER = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

	private EarlierHuffmanDeflate() {
	}

	/** The zlib stream of {@code data}. */
	static byte[] zlib(byte[] data) {
		int[] frequencies = new int[LITERALS];
		for (byte b : data) {
			frequencies[b & 0xFF]++;
		}
		frequencies[END_OF_BLOCK] = 1;
		int[] lengths = codeLengths(frequencies, MAX_BITS);
		int[] codes = reversedCanonicalCodes(lengths);

		long bits = 3 + 5 + 5 + 4 + 19 * 3 + (LITERALS + 2) * 4;
		for (int s = 0; s < LITERALS; s++) {
			bits += (long) frequencies[s] * lengths[s];
		}
		// The zlib header, the block, up to 7 bits of padding and 8 more the writer may spill, the Adler-32.
		byte[] out = new byte[(int) (2 + (bits + 7) / 8 + 8 + 4)];
		out[0] = 0x78; // deflate, 32 KB window
		out[1] = 0x01; // fastest; (0x7801 % 31 == 0)
		BitWriter writer = new BitWriter(out, 2);
		writer.write(1, 1); // the final block
		writer.write(2, 2); // dynamic Huffman codes
		writer.write(LITERALS - 257, 5);
		writer.write(2 - 1, 5); // two distance codes, neither used (as zlib always sends at least two)
		writer.write(19 - 4, 4);
		// The code lengths themselves coded with 4 bits each: lengths 0–15 have codes of 4 bits, 16–18 none.
		for (int symbol : CODE_LENGTH_ORDER) {
			writer.write((symbol < 16) ? 4 : 0, 3);
		}
		for (int s = 0; s < LITERALS; s++) {
			writer.write(Integer.reverse(lengths[s]) >>> 28, 4);
		}
		writer.write(Integer.reverse(1) >>> 28, 4);
		writer.write(Integer.reverse(1) >>> 28, 4);
		int[] table = new int[LITERALS];
		for (int s = 0; s < LITERALS; s++) {
			table[s] = codes[s] | (lengths[s] << 16);
		}
		writer.literals(data, table);
		writer.write(table[END_OF_BLOCK] & 0xFFFF, table[END_OF_BLOCK] >>> 16);
		int at = writer.flush();
		Adler32 adler = new Adler32();
		adler.update(data);
		int checksum = (int) adler.getValue();
		out[at] = (byte) (checksum >>> 24);
		out[at + 1] = (byte) (checksum >>> 16);
		out[at + 2] = (byte) (checksum >>> 8);
		out[at + 3] = (byte) checksum;
		return Arrays.copyOf(out, at + 4);
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
			int[] two = new int[2];
			for (int k = 0; k < 2; k++) {
				if (leaf < count && (join >= made || weight[leaf] <= weight[join])) {
					two[k] = leaf++;
				}
				else {
					two[k] = join++;
				}
			}
			weight[made] = weight[two[0]] + weight[two[1]];
			parent[two[0]] = made;
			parent[two[1]] = made;
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
		int[] perLength = new int[MAX_BITS + 1];
		for (int length : lengths) {
			perLength[length]++;
		}
		perLength[0] = 0;
		int[] next = new int[MAX_BITS + 1];
		int code = 0;
		for (int bits = 1; bits <= MAX_BITS; bits++) {
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

	/** Bits least significant first, as deflate packs them, 32 at a time into the array. */
	private static final class BitWriter {

		private final byte[] out;

		private int at;

		private long buffer;

		private int count;

		BitWriter(byte[] out, int at) {
			this.out = out;
			this.at = at;
		}

		void write(int bits, int length) {
			this.buffer |= (long) bits << this.count;
			this.count += length;
			if (this.count >= 32) {
				int word = (int) this.buffer;
				this.out[this.at] = (byte) word;
				this.out[this.at + 1] = (byte) (word >>> 8);
				this.out[this.at + 2] = (byte) (word >>> 16);
				this.out[this.at + 3] = (byte) (word >>> 24);
				this.at += 4;
				this.buffer >>>= 32;
				this.count -= 32;
			}
		}

		/** Writes each byte's code: {@code table} holds the code in its low 16 bits and its length above. */
		void literals(byte[] data, int[] table) {
			// The hot loop, on locals: one table look-up and a shift per byte, a store every 32 bits.
			byte[] out = this.out;
			int at = this.at;
			long buffer = this.buffer;
			int count = this.count;
			for (byte b : data) {
				int entry = table[b & 0xFF];
				buffer |= (long) (entry & 0xFFFF) << count;
				count += entry >>> 16;
				if (count >= 32) {
					int word = (int) buffer;
					out[at] = (byte) word;
					out[at + 1] = (byte) (word >>> 8);
					out[at + 2] = (byte) (word >>> 16);
					out[at + 3] = (byte) (word >>> 24);
					at += 4;
					buffer >>>= 32;
					count -= 32;
				}
			}
			this.at = at;
			this.buffer = buffer;
			this.count = count;
		}

		/** Writes what is left, padded to a byte; the index after it. */
		int flush() {
			while (this.count > 0) {
				this.out[this.at++] = (byte) this.buffer;
				this.buffer >>>= 8;
				this.count -= 8;
			}
			return this.at;
		}

	}

}
