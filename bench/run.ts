/** `npm run bench`: every benchmark, side by side with its peers, in one run. */
import { runCaptureBench } from './capture.bench';
import { runDecodeBench } from './decode.bench';

await runDecodeBench();
await runCaptureBench();
