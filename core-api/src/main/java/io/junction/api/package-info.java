/**
 * Junction's vocabulary: EMSs (providers as the user sees them), their connections and
 * credentials, provider types, and the errors every bundle shares.
 */
@Version("1.3.0")
@Export
package io.junction.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
