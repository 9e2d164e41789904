/**
 * How provider bundles serve EMSs: {@link io.junction.api.service.EmsService}s registered per
 * (provider type, connection role), the handles they open on one connection, the capabilities
 * those handles offer, and the {@link io.junction.api.service.CapabilityRouter} that binds each
 * capability of an EMS to the right service and connection at run time.
 */
@Version("1.4.0")
@Export
package io.junction.api.service;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
