package org.attenuator.core.internal.intake;

import java.io.IOException;
import java.util.Optional;
import org.attenuator.core.Intake;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.Intakes;
import org.attenuator.core.Supervisor;
import org.attenuator.core.spi.PolicySource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@link Intakes} service: opens {@link AgentIntake}s that adopt into the supervisor, with the
 * policy source bound now (the highest ranked; none: trees get the default policy). The add/remove
 * methods are what DS calls; tests call them too.
 */
@Component(service = Intakes.class)
public final class IntakeService implements Intakes {

    private final Supervisor supervisor;
    private volatile PolicySource policySource;

    @Activate
    public IntakeService(@Reference Supervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setPolicySource(PolicySource source) {
        policySource = source;
    }

    public void unsetPolicySource(PolicySource source) {
        if (policySource == source) {
            policySource = null;
        }
    }

    @Override
    public Intake open(IntakeSettings settings) throws IOException {
        return AgentIntake.open(settings, supervisor, () -> Optional.ofNullable(policySource));
    }
}
