package dev.avatars.job;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;

/** Names this process in leases and the run history: host name and process id. */
final class HostName {

	private HostName() {
	}

	static String ofThisProcess() {
		String name;
		try {
			name = InetAddress.getLocalHost().getHostName();
		}
		catch (IOException ex) {
			name = System.getenv().getOrDefault("HOSTNAME", "unknown");
		}
		return name + "/" + ManagementFactory.getRuntimeMXBean().getPid();
	}

}
