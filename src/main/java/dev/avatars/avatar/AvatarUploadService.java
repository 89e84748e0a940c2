package dev.avatars.avatar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import dev.avatars.durable.DurableCommits;
import dev.avatars.imageinfo.DecodeLimits;
import dev.avatars.job.JobEngine;
import dev.avatars.job.ProcessingProperties;
import dev.avatars.imageinfo.ImageInfo;
import dev.avatars.thumbnail.Crop;
import dev.avatars.thumbnail.Orientation;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Accepts an upload in the request thread: checks it, stores it, records it, and nothing heavier. Decoding and
 * resizing belong to the thumbnail job, which this asks to run soon. Whatever is refused leaves no file behind
 * and the row untouched.
 */
@Service
class AvatarUploadService {

	private final AvatarRepository store;

	private final AvatarStorage storage;

	private final UploadProperties limits;

	private final DurableCommits durable;

	private final JobEngine engine;

	private final boolean processOnUpload;

	AvatarUploadService(AvatarRepository store, AvatarStorage storage, UploadProperties limits, DurableCommits durable,
			JobEngine engine, ProcessingProperties processing) {
		this.store = store;
		this.durable = durable;
		this.storage = storage;
		this.limits = limits;
		this.engine = engine;
		this.processOnUpload = processing.onUpload();
	}

	/**
	 * @param contentType the request's, naming the multipart boundary
	 * @param body the request body, read here as it arrives
	 * @param queryParameters the request's query parameters: the crop fields may come there instead of the form
	 */
	void accept(long userId, String contentType, InputStream body, Function<String, String> queryParameters)
			throws IOException {
		if (this.store.find(userId).isEmpty()) {
			throw new NoSuchUserException(userId);
		}
		Path incoming = this.storage.newIncomingFile();
		try {
			AvatarForm form = AvatarForm.read(body, contentType, incoming, this.limits.maxBytes().toBytes());
			if (!form.hasFile()) {
				throw new UploadRejectedException(HttpStatus.BAD_REQUEST, "No file",
						"Send the picture as a multipart/form-data field named 'file'.");
			}
			if (form.fileBytes() == 0) {
				throw new UploadRejectedException(HttpStatus.BAD_REQUEST, "Empty file", "The file is empty.");
			}
			Optional<Crop> crop = CropRequest
				.of((name) -> form.field(name).orElseGet(() -> queryParameters.apply(name)));
			ImageFormat format = sniff(incoming);
			ImageHeader header = checkHeader(incoming, format);
			if (crop.isPresent() && !fitsUpright(crop.get(), header, incoming)) {
				throw CropRequest.invalid("The crop square must lie inside the picture.");
			}
			String key = this.storage.keepOriginal(incoming, format);
			Optional<String> replaced;
			try {
				replaced = this.store.replaceOriginal(userId, key, format, header, crop.orElse(null));
			}
			catch (RuntimeException ex) {
				this.storage.deleteOriginal(key);
				if (ex instanceof AvatarRepository.MissingAvatarRowException) {
					throw new NoSuchUserException(userId); // deleted while uploading
				}
				throw ex;
			}
			// The 202 promises the new row survives a crash; the replaced file may go only once it does.
			this.durable.await();
			replaced.ifPresent(this.storage::deleteOriginal);
			if (this.processOnUpload) {
				// Trigger 4: thumbnails within seconds, through the same claims as any run; the sweep takes
				// whatever this process cannot do (it stops, its workers are busy for long).
				this.engine.runSoon(ThumbnailJob.NAME);
			}
		}
		finally {
			Files.deleteIfExists(incoming);
		}
	}

	private static ImageFormat sniff(Path file) throws IOException {
		byte[] head;
		try (InputStream in = Files.newInputStream(file)) {
			head = in.readNBytes(ImageFormat.SIGNATURE_LENGTH);
		}
		return ImageFormat.sniff(head).orElseThrow(() -> ImageFormat.refusal(head));
	}

	private ImageHeader checkHeader(Path file, ImageFormat format) {
		ImageInfo info;
		try {
			// One pass over the file: the sizes, every frame's included; decoding is the job's.
			info = ImageInfo.read(file);
		}
		catch (IOException ex) {
			throw unprocessable("Unreadable image", "The " + format.name()
					+ " header cannot be read; the file may be damaged or truncated.");
		}
		ImageHeader header = new ImageHeader(info.width(), info.height());
		int min = this.limits.minDimension();
		if (header.width() < min || header.height() < min) {
			throw unprocessable("Image too small", "The image is " + header.width() + "×" + header.height()
					+ " pixels; it must be at least " + min + "×" + min + ".");
		}
		if (header.pixels() > this.limits.maxPixels()) {
			throw unprocessable("Image too large", "The image is " + header.width() + "×" + header.height() + " ("
					+ Sizes.megapixels(header.pixels()) + "); the limit is "
					+ Sizes.megapixels(this.limits.maxPixels()) + ".");
		}
		// Every frame the file states, not only the one the decoder reports first; and what cannot be decoded
		// within bounded memory (the same verdict as the job's, so nothing accepted here fails there for it).
		DecodeLimits.refusal(info, this.limits.maxPixels()).ifPresent((detail) -> {
			throw unprocessable("Image too large", detail);
		});
		return header;
	}

	/** The crop is given in upright terms; a phone photo's header states its dimensions sideways. */
	private static boolean fitsUpright(Crop crop, ImageHeader header, Path file) {
		boolean sideways = Orientation.read(file).swapsAxes();
		return sideways ? crop.fits(header.height(), header.width()) : crop.fits(header.width(), header.height());
	}

	private static UploadRejectedException unprocessable(String title, String detail) {
		return new UploadRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, title, detail);
	}

}
