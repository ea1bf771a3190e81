package io.seqvision.encoder.checkpoint;

import ai.djl.nn.Parameter;
import java.util.Map;

/** An encoder that can take weights written by its family's official code. */
public interface OfficialCheckpoint {

    /** Every parameter under its official state-dict name; the model must be initialised. */
    Map<String, Parameter> officialParameters();

    /** How the names of the checkpoints users have map to {@link #officialParameters()}'s. */
    RenameTable checkpointNames();
}
