/**
 * A hand-written ONNX (protobuf) encoder for one tiny model, Y = X·W + B, so the scaffold tests run a
 * real onnxruntime session without downloading weights or needing Python's `onnx` package.
 *
 * Field numbers come from onnx.proto. ONNX is proto2, so repeated scalars (TensorProto.dims) are
 * written unpacked, which every protobuf parser accepts.
 */

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const ONNX_FLOAT = 1;

/** Base-128 varint; numbers stay below 2^53 here so plain arithmetic is exact (no bit ops on >32 bits). */
export function encodeVarint(value: number): number[] {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint out of range: ${value}`);
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

const utf8 = new TextEncoder();

/** A message is a list of encoded fields; concatenation is all protobuf needs. */
type Field = Uint8Array;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function key(field: number, wire: number): number[] {
  return encodeVarint(field * 8 + wire);
}

function varintField(field: number, value: number): Field {
  return Uint8Array.from([...key(field, WIRE_VARINT), ...encodeVarint(value)]);
}

function bytesField(field: number, bytes: Uint8Array): Field {
  return concat([Uint8Array.from([...key(field, WIRE_LEN), ...encodeVarint(bytes.length)]), bytes]);
}

function stringField(field: number, text: string): Field {
  return bytesField(field, utf8.encode(text));
}

function message(field: number, fields: readonly Field[]): Field {
  return bytesField(field, concat(fields));
}

/** ONNX raw_data is little-endian regardless of the host, hence the DataView. */
function floatTensor(name: string, dims: readonly number[], values: readonly number[]): Field[] {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (const [i, v] of values.entries()) view.setFloat32(i * 4, v, true);
  return [
    ...dims.map((d) => varintField(1, d)), // dims
    varintField(2, ONNX_FLOAT), // data_type
    stringField(8, name),
    bytesField(9, raw), // raw_data
  ];
}

/** A dimension is a number (dim_value) or a symbolic name (dim_param) such as the batch size. */
function floatValueInfo(name: string, shape: readonly (number | string)[]): Field[] {
  const dims = shape.map((d) => message(1, [typeof d === 'number' ? varintField(1, d) : stringField(2, d)]));
  const tensorType = [varintField(1, ONNX_FLOAT), message(2, dims)];
  return [stringField(1, name), message(2, [message(1, tensorType)])];
}

function node(name: string, opType: string, inputs: readonly string[], outputs: readonly string[]): Field[] {
  return [
    ...inputs.map((i) => stringField(1, i)),
    ...outputs.map((o) => stringField(2, o)),
    stringField(3, name),
    stringField(4, opType),
  ];
}

export interface LinearModel {
  /** Row-major [inFeatures][outFeatures]. */
  readonly w: readonly (readonly number[])[];
  readonly b: readonly number[];
}

/** Values chosen to be exact in float32 so predictions can be compared tightly. */
export const TINY_MODEL: LinearModel = {
  w: [
    [0.5, -1, 2],
    [1.5, 0.25, -0.75],
    [-2, 1, 0.125],
    [0.0625, 3, -1.5],
  ],
  b: [0.1, -0.2, 0.3],
};

/**
 * Encodes ModelProto{ir_version 8, opset 13, graph: MatMul(X, W) -> XW, Add(XW, B) -> Y} with X as
 * float [N, in] and Y as float [N, out], N symbolic.
 */
export function encodeLinearModel(model: LinearModel = TINY_MODEL): Uint8Array {
  const inFeatures = model.w.length;
  const outFeatures = model.b.length;
  if (inFeatures === 0 || model.w.some((row) => row.length !== outFeatures)) {
    throw new Error('w must be a non-empty [in][out] matrix whose rows match b');
  }
  const graph = [
    message(1, node('matmul', 'MatMul', ['X', 'W'], ['XW'])),
    message(1, node('add', 'Add', ['XW', 'B'], ['Y'])),
    stringField(2, 'tiny_linear'),
    message(5, floatTensor('W', [inFeatures, outFeatures], model.w.flat())),
    message(5, floatTensor('B', [outFeatures], model.b)),
    message(11, floatValueInfo('X', ['N', inFeatures])),
    message(12, floatValueInfo('Y', ['N', outFeatures])),
  ];
  return concat([
    varintField(1, 8), // ir_version
    stringField(2, 'migrate-tiny-onnx'),
    message(7, graph),
    message(8, [stringField(1, ''), varintField(2, 13)]), // opset_import
  ]);
}

/** The reference the tests compare onnxruntime against, in float64. */
export function linearReference(
  inputs: readonly (readonly number[])[],
  model: LinearModel = TINY_MODEL,
): number[][] {
  return inputs.map((x) =>
    model.b.map((bias, j) => x.reduce((sum, xi, i) => sum + xi * (model.w[i]?.[j] ?? Number.NaN), bias)),
  );
}
