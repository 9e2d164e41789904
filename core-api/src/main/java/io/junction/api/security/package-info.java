/**
 * The one access policy of every door into Junction (console, SSH, REST): who is calling
 * ({@link io.junction.api.security.Caller}), may they ({@link io.junction.api.security.AccessPolicy},
 * {@link io.junction.api.security.Role}), record it ({@link io.junction.api.security.AuditTrail}); the
 * users it knows ({@link io.junction.api.security.Users}) and their API tokens ({@link io.junction.api.security.ApiTokens}).
 */
@Version("1.1.0")
@Export
package io.junction.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
