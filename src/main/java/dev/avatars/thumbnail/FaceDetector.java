package dev.avatars.thumbnail;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;
import org.opencv.imgproc.Imgproc;

/**
 * Finds faces with MediaPipe's BlazeFace full-range model ({@code models/blazeface}) in OpenCV's DNN module. The
 * picture is scaled to fit 192×192 (letterboxed, as MediaPipe does), and the model's 2304 boxes are decoded the
 * way MediaPipe's face_detection_full_range graph does: one anchor per cell of a 48×48 grid (stride 4, offset
 * 0.5, fixed size), offsets scaled by 192, sigmoid scores, weighted non-maximum suppression at IoU 0.3.
 *
 * <p>Only once {@link NativeOpenCv#available()}. A {@link Net} is not safe across threads: each thread keeps its
 * own, made from the model bytes read once.
 */
final class FaceDetector {

	/** MediaPipe's own threshold for this model is 0.6; below it, textures and pets pass for faces. */
	static final double MIN_SCORE = 0.6;

	private static final int INPUT = 192;

	private static final int GRID = 48;

	private static final int ANCHORS = GRID * GRID;

	private static final int VALUES = 16;

	private static final double NMS_IOU = 0.3;

	private static final System.Logger log = System.getLogger(FaceDetector.class.getName());

	private static final String MODEL = "/models/blazeface/face_detection_full_range.tflite";

	/** One face, upright, as fractions of the upright picture's width and height, with the model's score. */
	record Face(double x, double y, double width, double height, double score) {

		double area() {
			return this.width * this.height;
		}

		double centreX() {
			return this.x + this.width / 2;
		}

		double centreY() {
			return this.y + this.height / 2;
		}

	}

	private final byte[] model;

	private final ThreadLocal<Net> nets;

	private FaceDetector(byte[] model) {
		this.model = model;
		this.nets = ThreadLocal.withInitial(this::newNet);
	}

	/** @throws IOException when the model is missing from the class path (a broken build) */
	static FaceDetector load() throws IOException {
		FaceDetector detector = new FaceDetector(modelBytes());
		// Loading once here makes a model OpenCV cannot read fail at start-up, not on the first upload.
		detector.nets.get();
		return detector;
	}

	/** The model file's bytes, from the class path (the probes in src/bench read it here too). */
	static byte[] modelBytes() throws IOException {
		try (InputStream in = FaceDetector.class.getResourceAsStream(MODEL)) {
			if (in == null) {
				throw new IOException("the face model " + MODEL + " is missing from the class path");
			}
			return in.readAllBytes();
		}
	}

	private Net newNet() {
		MatOfByte bytes = new MatOfByte(this.model);
		try {
			Net net = Dnn.readNetFromTFLite(bytes);
			if (net.empty()) {
				throw new IllegalStateException("OpenCV could not read the face model");
			}
			return net;
		}
		finally {
			bytes.release();
		}
	}

	/**
	 * The framing for a picture: on its faces, or the centre square when there is none or detection fails (the
	 * avatar is still made; the failure is logged).
	 * @param stored the picture as stored, BGR, at any scale
	 * @param width the upright picture's full width
	 * @param height the upright picture's full height
	 */
	Framing frame(Mat stored, Orientation orientation, int width, int height) {
		try {
			return Framing.of(detect(stored, orientation), width, height);
		}
		catch (RuntimeException ex) {
			// A net that failed half-way is not trusted again: this thread makes a fresh one next time.
			this.nets.remove();
			log.log(System.Logger.Level.WARNING, "Face detection failed, keeping the centre square: " + ex);
			return Framing.centre(width, height, 0);
		}
	}

	/** The same for an upright picture decoded by ImageIO, at any scale. */
	Framing frame(BufferedImage upright, int width, int height) {
		BufferedImage bgr = new BufferedImage(upright.getWidth(), upright.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
		Graphics2D g = bgr.createGraphics();
		g.drawImage(upright, 0, 0, java.awt.Color.WHITE, null);
		g.dispose();
		Mat mat = new Mat(bgr.getHeight(), bgr.getWidth(), CvType.CV_8UC3);
		try {
			mat.put(0, 0, ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData());
			return frame(mat, Orientation.NORMAL, width, height);
		}
		finally {
			mat.release();
		}
	}

	/**
	 * Pictures wider (or taller) than this are looked at in overlapping squares, so that a face at one side of a
	 * panorama is not shrunk below what the model sees; 4:3 and squarer pictures are looked at whole, once.
	 */
	static final double TILE_ASPECT = 1.34;

	/**
	 * Beyond this the picture is looked at whole, once, as a square picture is: a strip of a hostile or odd
	 * file (2560×1, say) would otherwise take one inference per pixel of its length. At most six tiles.
	 */
	static final double MAX_TILED_ASPECT = 5;

	/**
	 * @param stored a BGR picture as stored (any scale)
	 * @param orientation how it stands upright
	 * @return the faces found, largest first, in the upright picture's fractions
	 */
	List<Face> detect(Mat stored, Orientation orientation) {
		Mat small = new Mat();
		Mat upright = null;
		try {
			double longer = Math.max(stored.cols(), stored.rows());
			double shorter = Math.min(stored.cols(), stored.rows());
			boolean tiled = longer > shorter * TILE_ASPECT && longer <= shorter * MAX_TILED_ASPECT;
			double scale = Math.min(1, INPUT / (tiled ? shorter : longer));
			int cols = Math.max(1, (int) Math.round(stored.cols() * scale));
			int rows = Math.max(1, (int) Math.round(stored.rows() * scale));
			// Bilinear, as MediaPipe's own CPU path scales the camera frame into the model's input: at 12 MP the
			// 1/8 decode (500×375) is 2.6× the input, where OpenCV's area filter takes its slow general path
			// (1.5 ms of CPU, more than the rest of the preparation together).
			Imgproc.resize(stored, small, new Size(cols, rows), 0, 0, Imgproc.INTER_LINEAR);
			upright = OpenCvRenderer.turnUpright(small, orientation);
			int width = upright.cols();
			int height = upright.rows();
			if (!tiled) {
				return suppress(infer(upright, 0, 0, width, height));
			}
			// Squares of the shorter side, one more than it takes to cover the picture, so each face lies whole
			// inside one of them.
			int side = Math.min(width, height);
			int along = Math.max(width, height);
			int count = (int) Math.ceil(along / (double) side) + 1;
			List<Face> faces = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int offset = (int) Math.round((along - side) * i / (double) (count - 1));
				int x = (width > height) ? offset : 0;
				int y = (width > height) ? 0 : offset;
				Mat tile = upright.submat(y, y + side, x, x + side);
				try {
					faces.addAll(infer(tile, x, y, width, height));
				}
				finally {
					tile.release();
				}
			}
			return suppress(faces);
		}
		finally {
			small.release();
			if (upright != null && upright != small) {
				upright.release();
			}
		}
	}

	/**
	 * Runs the model on one upright part of the picture, at ({@code x}, {@code y}) in a picture of
	 * {@code width}×{@code height}: the faces in that picture's fractions.
	 */
	private List<Face> infer(Mat part, int x, int y, int width, int height) {
		Mat resized = new Mat();
		Mat letterboxed = new Mat();
		Mat blob = null;
		List<Mat> outputs = new ArrayList<>(2);
		try {
			double scale = Math.min((double) INPUT / part.cols(), (double) INPUT / part.rows());
			int cols = Math.max(1, Math.min(INPUT, (int) Math.round(part.cols() * scale)));
			int rows = Math.max(1, Math.min(INPUT, (int) Math.round(part.rows() * scale)));
			Imgproc.resize(part, resized, new Size(cols, rows), 0, 0,
					(scale < 1) ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
			int left = (INPUT - cols) / 2;
			int top = (INPUT - rows) / 2;
			Core.copyMakeBorder(resized, letterboxed, top, INPUT - rows - top, left, INPUT - cols - left,
					Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
			// RGB in [-1, 1], as the model was trained.
			blob = Dnn.blobFromImage(letterboxed, 1 / 127.5, new Size(INPUT, INPUT), new Scalar(127.5, 127.5, 127.5),
					true, false);
			Net net = this.nets.get();
			net.setInput(blob);
			net.forward(outputs, net.getUnconnectedOutLayersNames());
			float[] boxes = null;
			float[] scores = null;
			for (Mat output : outputs) {
				float[] values = floats(output);
				if (values.length == ANCHORS * VALUES) {
					boxes = values;
				}
				else if (values.length == ANCHORS) {
					scores = values;
				}
			}
			if (boxes == null || scores == null) {
				throw new IllegalStateException("the face model answered unexpected shapes");
			}
			List<Face> faces = new ArrayList<>();
			for (Face face : decode(boxes, scores, left, top, cols, rows)) {
				// From the part's fractions to the whole picture's.
				faces.add(new Face((x + face.x() * part.cols()) / width, (y + face.y() * part.rows()) / height,
						face.width() * part.cols() / width, face.height() * part.rows() / height, face.score()));
			}
			return faces;
		}
		finally {
			resized.release();
			letterboxed.release();
			if (blob != null) {
				blob.release();
			}
			outputs.forEach(Mat::release);
		}
	}

	private static float[] floats(Mat output) {
		Mat flat = output.reshape(1, 1);
		try {
			if (flat.type() != CvType.CV_32F) {
				throw new IllegalStateException("the face model answered type " + flat.type());
			}
			float[] values = new float[(int) flat.total()];
			flat.get(0, 0, values);
			return values;
		}
		finally {
			flat.release();
		}
	}

	/** Boxes above the threshold, in the fractions of the picture inside the letterbox. */
	static List<Face> decode(float[] boxes, float[] scores, int left, int top, int width, int height) {
		List<Face> faces = new ArrayList<>();
		for (int i = 0; i < ANCHORS; i++) {
			double raw = Math.max(-100, Math.min(100, scores[i]));
			double score = 1 / (1 + Math.exp(-raw));
			if (score < MIN_SCORE) {
				continue;
			}
			double anchorX = (i % GRID + 0.5) / GRID;
			double anchorY = (i / GRID + 0.5) / GRID;
			int at = i * VALUES;
			double centreX = boxes[at] / INPUT + anchorX;
			double centreY = boxes[at + 1] / INPUT + anchorY;
			double w = boxes[at + 2] / INPUT;
			double h = boxes[at + 3] / INPUT;
			if (!(w > 0 && h > 0)) {
				continue;
			}
			// From the 192×192 letterbox back to the picture.
			double x = ((centreX - w / 2) * INPUT - left) / width;
			double y = ((centreY - h / 2) * INPUT - top) / height;
			faces.add(new Face(x, y, w * INPUT / width, h * INPUT / height, score));
		}
		return faces;
	}

	/**
	 * MediaPipe's weighted non-maximum suppression: the best box takes every box overlapping it by more than the
	 * threshold, and becomes their score-weighted average.
	 */
	static List<Face> suppress(List<Face> candidates) {
		List<Face> remaining = new ArrayList<>(candidates);
		remaining.sort(Comparator.comparingDouble(Face::score).reversed());
		List<Face> kept = new ArrayList<>();
		while (!remaining.isEmpty()) {
			Face best = remaining.get(0);
			double x = 0;
			double y = 0;
			double w = 0;
			double h = 0;
			double total = 0;
			List<Face> rest = new ArrayList<>();
			for (Face face : remaining) {
				if (iou(best, face) > NMS_IOU) {
					x += face.x() * face.score();
					y += face.y() * face.score();
					w += face.width() * face.score();
					h += face.height() * face.score();
					total += face.score();
				}
				else {
					rest.add(face);
				}
			}
			kept.add(new Face(x / total, y / total, w / total, h / total, best.score()));
			remaining = rest;
		}
		kept.sort(Comparator.comparingDouble(Face::area).reversed());
		return kept;
	}

	static double iou(Face a, Face b) {
		double left = Math.max(a.x(), b.x());
		double top = Math.max(a.y(), b.y());
		double right = Math.min(a.x() + a.width(), b.x() + b.width());
		double bottom = Math.min(a.y() + a.height(), b.y() + b.height());
		if (right <= left || bottom <= top) {
			return (a == b) ? 1 : 0;
		}
		double intersection = (right - left) * (bottom - top);
		return intersection / (a.area() + b.area() - intersection);
	}

}
