package org.attenuator.core;

import org.osgi.annotation.versioning.ProviderType;

/** Examines what this kernel and machine offer for supervision; every item is probed for real. */
@ProviderType
public interface Doctor {

    /** Probes the machine now. Takes a few milliseconds (it forks a short-lived probe). */
    DoctorReport examine();
}
