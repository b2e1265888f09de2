import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { batch, expectPredictions } from './fixture.ts';
import { encodeLinearModel, encodeVarint, type LinearModel } from './tiny-onnx.ts';

describe('encodeVarint', () => {
  it('matches the protobuf wire format', () => {
    expect(encodeVarint(0)).toEqual([0]);
    expect(encodeVarint(1)).toEqual([1]);
    expect(encodeVarint(127)).toEqual([0x7f]);
    expect(encodeVarint(300)).toEqual([0xac, 0x02]);
    expect(encodeVarint(2 ** 35)).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(() => encodeVarint(-1)).toThrow(RangeError);
  });
});

describe('encodeLinearModel', () => {
  it('starts with ir_version 8 and is deterministic', () => {
    const bytes = encodeLinearModel();
    expect(Array.from(bytes.slice(0, 2))).toEqual([0x08, 0x08]);
    expect(encodeLinearModel()).toEqual(bytes);
  });

  it('loads in onnxruntime with a symbolic batch dimension and computes X·W + B', async () => {
    const session = await InferenceSession.create(encodeLinearModel());
    try {
      expect(session.inputNames).toEqual(['X']);
      expect(session.outputNames).toEqual(['Y']);
      expect(session.inputMetadata[0]).toMatchObject({ isTensor: true, type: 'float32', shape: ['N', 4] });
      for (const rows of [1, 2, 7]) {
        const x = Array.from({ length: rows }, (_, i) => batch(i)[0]!);
        const out = await session.run({ X: new Tensor('float32', Float32Array.from(x.flat()), [rows, 4]) });
        expect(out.Y?.dims).toEqual([rows, 3]);
        const y = Array.from(out.Y!.data as Float32Array);
        expectPredictions(
          x.map((_, r) => y.slice(r * 3, r * 3 + 3)),
          x,
        );
      }
    } finally {
      await session.release();
    }
  });

  it('encodes other shapes and weights', async () => {
    const model: LinearModel = { w: [[2], [-3]], b: [0.5] };
    const session = await InferenceSession.create(encodeLinearModel(model));
    try {
      const out = await session.run({ X: new Tensor('float32', Float32Array.from([1, 1, 4, 2]), [2, 2]) });
      expect(Array.from(out.Y!.data as Float32Array)).toEqual([-0.5, 2.5]);
    } finally {
      await session.release();
    }
    expect(() => encodeLinearModel({ w: [[1, 2]], b: [1] })).toThrow(/rows match b/);
  });
});
