/**
 * seqvision models as DJL models, every task: {@link io.seqvision.tasks.api.djl.SeqVisionCriteria}
 * builds the {@code Criteria} of a task for a model directory (detection and masks: {@code
 * DetectedObjects}, poses: {@code Joints} per person, captions: {@code String}); {@link
 * io.seqvision.tasks.api.djl.SeqVisionBlockFactory} builds the network and loads its parameters
 * into the DJL model; {@link io.seqvision.tasks.api.djl.SeqVisionBlock} runs the task's whole
 * decoding in its forward pass; the translators ({@link
 * io.seqvision.tasks.api.djl.SeqVisionTranslator}) turn images into its input and its output into
 * DJL's types.
 */
package io.seqvision.tasks.api.djl;
