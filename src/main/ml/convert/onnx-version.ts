/** Bump when the generated ONNX graph changes, so cached model.onnx files are rebuilt. */
export const ONNX_BUILDER_VERSION = 2;
