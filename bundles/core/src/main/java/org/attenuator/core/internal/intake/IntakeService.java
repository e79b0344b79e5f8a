package org.attenuator.core.internal.intake;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.attenuator.core.Intake;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.Intakes;
import org.attenuator.core.Supervisor;
import org.attenuator.core.spi.ListenerCustodian;
import org.attenuator.core.spi.PolicySource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@link Intakes} service: opens {@link AgentIntake}s that adopt into the supervisor, with the
 * policy source bound now (the highest ranked; none: trees get the default policy), and offers each
 * open intake's socket to the listener custodian (now, or when one is bound later), so the custodian
 * holds every listener from the moment it arrives. The set/unset methods are what DS calls; tests
 * call them too.
 */
@Component(service = Intakes.class)
public final class IntakeService implements Intakes {

    private final Supervisor supervisor;
    private volatile PolicySource policySource;
    private volatile ListenerCustodian custodian;
    private final Set<AgentIntake> intakes = ConcurrentHashMap.newKeySet();

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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setCustodian(ListenerCustodian bound) {
        custodian = bound;
        intakes.forEach(i -> i.custodianBound(bound));
    }

    public void unsetCustodian(ListenerCustodian gone) {
        if (custodian == gone) {
            custodian = null;
            intakes.forEach(AgentIntake::custodianGone);
        }
    }

    @Override
    public Intake open(IntakeSettings settings) throws IOException {
        AgentIntake intake = AgentIntake.open(settings, supervisor, () -> Optional.ofNullable(policySource));
        intakes.removeIf(i -> !i.isOpen());
        intakes.add(intake);
        intake.custodianBound(custodian); // one bound later is offered it in setCustodian
        return intake;
    }
}
