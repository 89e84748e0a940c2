package dev.avatars.config;

import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The metrics are public, like the health details: no meter may name a file system path or the exact JVM
 * build. Boot tags its {@code disk.*} meters with the measured folder's absolute path and {@code jvm.info} with
 * {@code java.runtime.version}.
 */
@Configuration(proxyBeanMethods = false)
class ActuatorConfiguration {

	@Bean
	MeterFilter noPathsOrBuildsInMetrics() {
		String feature = Integer.toString(Runtime.version().feature());
		return new MeterFilter() {

			@Override
			public Meter.Id map(Meter.Id id) {
				if (id.getName().startsWith("disk.")) {
					return id.replaceTags(without(id, "path"));
				}
				if (id.getName().equals("jvm.info")) {
					List<Tag> tags = without(id, "version");
					return id.replaceTags(tags).withTag(Tag.of("version", feature));
				}
				return id;
			}

		};
	}

	private static List<Tag> without(Meter.Id id, String key) {
		return id.getTags().stream().filter((tag) -> !tag.getKey().equals(key)).toList();
	}

}
