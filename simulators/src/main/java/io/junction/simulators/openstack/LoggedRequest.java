package io.junction.simulators.openstack;

/**
 * One request the simulator answered: service ({@code keystone}, {@code nova}, {@code glance}),
 * method, path with query, the X-Auth-Token sent (or null), the compute microversion served (or
 * null outside Nova), and the status answered.
 */
public record LoggedRequest(String service, String method, String path, String token, String microversion, int status) {
}
