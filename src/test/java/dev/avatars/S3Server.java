package dev.avatars;

import java.net.URI;
import java.util.List;
import java.util.Properties;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server (S3Proxy) in this JVM on 127.0.0.1, over an in-memory blob store that outlives
 * {@link #stop()} and {@link #restart()}: a test can take the store away and bring it back with its objects.
 * Requests must be signed with {@link #ACCESS_KEY}; {@link #useAsDefaultCredentials()} makes the AWS SDK's
 * default chain find them, as an application under test finds its own.
 */
public final class S3Server implements AutoCloseable {

	public static final String ACCESS_KEY = "avatars-test";

	public static final String SECRET_KEY = "avatars-test-secret";

	public static final String REGION = "us-east-1";

	private static S3Server shared;

	private final BlobStore store;

	private final int port;

	private S3Proxy proxy;

	private S3Client client;

	private S3Server() throws Exception {
		Properties properties = new Properties();
		this.store = BlobStores.create("transient", properties);
		this.proxy = proxy(0);
		this.proxy.start();
		this.port = this.proxy.getPort();
	}

	public static S3Server start() throws Exception {
		return new S3Server();
	}

	/** One server for the whole test JVM, for application contexts that Spring keeps between test classes. */
	public static synchronized S3Server shared() {
		if (shared == null) {
			try {
				shared = start();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Cannot start the S3 server", ex);
			}
			useAsDefaultCredentials();
		}
		return shared;
	}

	/** The AWS SDK's default chain reads these system properties before anything else. */
	public static void useAsDefaultCredentials() {
		System.setProperty("aws.accessKeyId", ACCESS_KEY);
		System.setProperty("aws.secretAccessKey", SECRET_KEY);
	}

	private S3Proxy proxy(int port) {
		return S3Proxy.builder()
			.blobStore(this.store)
			.endpoint(URI.create("http://127.0.0.1:" + port))
			.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
			// Requests have been answered when a test stops it: no graceful drain of kept-alive connections.
			.stopTimeout(0)
			.build();
	}

	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	public void createBucket(String bucket) {
		if (!this.store.containerExists(bucket)) {
			this.store.createContainer(bucket);
		}
	}

	/** A client of the test's own, to look at the bucket as the application left it. */
	public synchronized S3Client client() {
		if (this.client == null) {
			this.client = S3Client.builder()
				.region(Region.of(REGION))
				.endpointOverride(endpoint())
				.forcePathStyle(true)
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
						SECRET_KEY)))
				.httpClientBuilder(Apache5HttpClient.builder())
				.build();
		}
		return this.client;
	}

	/** Every key in the bucket under the prefix, sorted. */
	public List<String> keys(String bucket, String prefix) {
		return client().listObjectsV2Paginator((request) -> request.bucket(bucket).prefix(prefix))
			.contents()
			.stream()
			.map(S3Object::key)
			.sorted()
			.toList();
	}

	public void empty(String bucket) {
		List<String> keys = keys(bucket, "");
		for (int from = 0; from < keys.size(); from += 1000) {
			List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + 1000))
				.stream()
				.map((key) -> ObjectIdentifier.builder().key(key).build())
				.toList();
			client().deleteObjects((request) -> request.bucket(bucket).delete((delete) -> delete.objects(batch)));
		}
	}

	/** Takes the server away: connections to its port are refused until {@link #restart()}. */
	public synchronized void stop() throws Exception {
		this.proxy.stop();
	}

	/** Brings it back on the same port, with every object it held. */
	public synchronized void restart() throws Exception {
		this.proxy = proxy(this.port);
		this.proxy.start();
	}

	@Override
	public synchronized void close() throws Exception {
		if (this.client != null) {
			this.client.close(); // before the server goes, so that no connection is left dangling
			this.client = null;
		}
		this.proxy.stop();
		this.store.close();
	}

}
