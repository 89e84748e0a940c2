package dev.avatars.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How request bodies must arrive, so that slow clients cannot hold the server's threads.
 * @param minRate the least a body must average per second, from the request's start, once {@code minRateGrace}
 * has passed; slower ones end with 408 and a closed connection
 * @param minRateGrace how long a body may arrive at any rate
 * @param maxReceiving requests whose body is still arriving, at most, at once; more are answered 503 without
 * reading them. Keep it below {@code server.tomcat.threads.max} so that threads are left for other requests.
 * @param retryAfter the Retry-After of that 503
 */
@ConfigurationProperties("avatars.request-body")
record RequestBodyProperties(DataSize minRate, Duration minRateGrace, int maxReceiving, Duration retryAfter) {
}
