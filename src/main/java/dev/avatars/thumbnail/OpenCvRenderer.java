package dev.avatars.thumbnail;

import java.awt.Rectangle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.opencv.core.Core;
import org.opencv.core.CvException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The fast path: OpenCV decodes a JPEG at 1/2, 1/4 or 1/8 of its size inside libjpeg-turbo (DCT scaling), so a
 * 12-megapixel photo costs the work of a few hundred thousand pixels. The decode scale is the smallest
 * reduction that still leaves the largest thumbnail size on the crop's side. Orientation and crop follow the
 * same rules as {@link JavaRenderer} (EXIF read by the same code, the same square in stored coordinates).
 *
 * <p>Every {@link Mat} is released in a {@code finally}: native memory never waits for the garbage collector.
 * Each worker thread reads files into its own direct buffer, reused from image to image, which OpenCV decodes
 * in place: a photo is never copied onto the Java heap.
 */
final class OpenCvRenderer {

	/** Larger files (the upload limit is far below) are left to the streaming Java path. */
	private static final int MAX_FILE_BYTES = 64 * 1024 * 1024;

	/** Decoding more than this (3 bytes each) is left to the Java path, which decodes only the crop square. */
	private static final long MAX_DECODED_PIXELS = 25_000_000;

	private static final int[] REDUCTIONS = { 8, 4, 2 };

	private final List<Integer> sizes;

	private final int largest;

	private final int jpegQuality;

	private final ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));

	OpenCvRenderer(List<Integer> sizes, float jpegQuality) {
		this.sizes = sizes;
		this.largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
		this.jpegQuality = Math.round(jpegQuality * 100);
	}

	/**
	 * @return the thumbnails, or {@code null} when the file is one for the pure-Java path (see
	 * {@link NativeSource}), including any file OpenCV cannot decode: that path then gives the verdict
	 */
	List<Thumbnail> render(Path original, Crop crop) throws IOException {
		ByteBuffer data = read(original);
		if (data == null) {
			return null;
		}
		NativeSource source = NativeSource.inspect(data);
		if (source == null) {
			return null;
		}
		Orientation orientation = Orientation.read(new ByteBufferInputStream(data.duplicate()));
		int uprightWidth = orientation.swapsAxes() ? source.height() : source.width();
		int uprightHeight = orientation.swapsAxes() ? source.width() : source.height();
		Rectangle square = Crop.square(crop, uprightWidth, uprightHeight);
		Rectangle stored = orientation.toStored(square, source.width(), source.height());
		int reduction = (source.kind() == NativeSource.Kind.JPEG) ? reduction(square.width, this.largest) : 1;
		if ((long) source.width() * source.height() / ((long) reduction * reduction) > MAX_DECODED_PIXELS) {
			return null;
		}

		Mat encoded = new Mat(1, data.limit(), CvType.CV_8UC1, data);
		Mat decoded = null;
		Mat region = null;
		Mat upright = null;
		List<Mat> renderings = new ArrayList<>(this.sizes.size());
		MatOfByte out = new MatOfByte();
		MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, this.jpegQuality);
		try {
			decoded = Imgcodecs.imdecode(encoded, decodeFlags(reduction));
			if (decoded.empty()) {
				return null;
			}
			region = decoded.submat(scale(stored, decoded.cols() / (double) source.width(),
					decoded.rows() / (double) source.height(), decoded.cols(), decoded.rows()));
			upright = turnUpright(region, orientation);
			List<Thumbnail> thumbnails = new ArrayList<>(this.sizes.size());
			for (int size : this.sizes) {
				// Each size from the smallest rendering still at least as large (256 → 128 → 64 halves exactly,
				// which OpenCV's area filter does fastest), not each from the whole square.
				Mat from = smallestAtLeast(upright, renderings, size);
				int interpolation = (from.cols() >= size) ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC;
				Mat resized = new Mat();
				renderings.add(resized);
				Imgproc.resize(from, resized, new Size(size, size), 0, 0, interpolation);
				if (!Imgcodecs.imencode(".jpg", resized, out, params)) {
					throw new IOException("OpenCV could not encode a JPEG thumbnail");
				}
				thumbnails.add(new Thumbnail(size, Thumbnail.OutputFormat.JPEG, out.toArray()));
			}
			return thumbnails;
		}
		catch (CvException ex) {
			// OpenCV refused the data; the Java path decides whether it is an image at all.
			return null;
		}
		finally {
			if (upright != null && upright != region) {
				upright.release();
			}
			if (region != null) {
				region.release();
			}
			if (decoded != null) {
				decoded.release();
			}
			encoded.release();
			renderings.forEach(Mat::release);
			out.release();
			params.release();
		}
	}

	private static Mat smallestAtLeast(Mat square, List<Mat> renderings, int size) {
		Mat best = square;
		for (Mat rendering : renderings) {
			if (rendering.cols() >= size && rendering.cols() < best.cols()) {
				best = rendering;
			}
		}
		return best;
	}

	/** The largest of 8, 4, 2 (else 1) that still leaves {@code largest} pixels on the crop's side. */
	static int reduction(int cropSide, int largest) {
		for (int reduction : REDUCTIONS) {
			if (cropSide / reduction >= largest) {
				return reduction;
			}
		}
		return 1;
	}

	private static int decodeFlags(int reduction) {
		int colour = switch (reduction) {
			case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
			case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
			case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
			default -> Imgcodecs.IMREAD_COLOR;
		};
		// Orientation is applied by our own code, the same as on the Java path.
		return colour | Imgcodecs.IMREAD_IGNORE_ORIENTATION;
	}

	/** The stored-coordinates square, scaled to the decoded image and kept square and inside it. */
	private static Rect scale(Rectangle stored, double sx, double sy, int cols, int rows) {
		int side = (int) Math.max(1, Math.min(Math.min(Math.round(stored.width * sx), Math.round(stored.height * sy)),
				Math.min(cols, rows)));
		int x = (int) Math.max(0, Math.min(Math.round(stored.x * sx), cols - side));
		int y = (int) Math.max(0, Math.min(Math.round(stored.y * sy), rows - side));
		return new Rect(x, y, side, side);
	}

	/** Returns {@code stored} itself when it is already upright, else a new Mat the caller releases. */
	private static Mat turnUpright(Mat stored, Orientation orientation) {
		if (orientation == Orientation.NORMAL) {
			return stored;
		}
		Mat upright = new Mat();
		switch (orientation) {
			case FLIP_HORIZONTAL -> Core.flip(stored, upright, 1);
			case ROTATE_180 -> Core.rotate(stored, upright, Core.ROTATE_180);
			case FLIP_VERTICAL -> Core.flip(stored, upright, 0);
			case TRANSPOSE -> Core.transpose(stored, upright);
			case ROTATE_90_CW -> Core.rotate(stored, upright, Core.ROTATE_90_CLOCKWISE);
			case TRANSVERSE -> {
				Core.transpose(stored, upright);
				Core.flip(upright, upright, -1);
			}
			case ROTATE_90_CCW -> Core.rotate(stored, upright, Core.ROTATE_90_COUNTERCLOCKWISE);
			case NORMAL -> throw new IllegalStateException();
		}
		return upright;
	}

	/**
	 * The whole file in this thread's direct buffer (grown when needed, then reused), or {@code null} when it
	 * is too large for this path.
	 */
	private ByteBuffer read(Path original) throws IOException {
		try (FileChannel channel = FileChannel.open(original, StandardOpenOption.READ)) {
			long size = channel.size();
			if (size > MAX_FILE_BYTES) {
				return null;
			}
			ByteBuffer buffer = this.buffers.get();
			if (buffer.capacity() < size) {
				// Whole megabytes, so a slightly larger photo next time does not allocate again.
				buffer = ByteBuffer.allocateDirect((int) Math.min(MAX_FILE_BYTES, (size | 0xFFFFF) + 1));
				this.buffers.set(buffer);
			}
			buffer.clear().limit((int) size);
			while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
				// read until full or end of file
			}
			return buffer.flip();
		}
	}

	/** Lets the metadata reader look at the buffer without a copy. */
	private static final class ByteBufferInputStream extends InputStream {

		private final ByteBuffer buffer;

		ByteBufferInputStream(ByteBuffer buffer) {
			this.buffer = buffer;
		}

		@Override
		public int read() {
			return this.buffer.hasRemaining() ? this.buffer.get() & 0xFF : -1;
		}

		@Override
		public int read(byte[] b, int off, int len) {
			if (!this.buffer.hasRemaining()) {
				return -1;
			}
			int n = Math.min(len, this.buffer.remaining());
			this.buffer.get(b, off, n);
			return n;
		}

		@Override
		public long skip(long n) {
			int skipped = (int) Math.max(0, Math.min(n, this.buffer.remaining()));
			this.buffer.position(this.buffer.position() + skipped);
			return skipped;
		}

		@Override
		public int available() {
			return this.buffer.remaining();
		}

	}

}
