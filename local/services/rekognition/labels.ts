/** COCO-80 detections mapped to Rekognition's DetectLabels shapes (names, parents, aliases, categories). */

/** One object the detector found: COCO class name, its score (0–1), box as fractions of the image. */
export interface Detection {
  label: string;
  score: number;
  box: { left: number; top: number; width: number; height: number };
}

interface Taxon {
  name: string;
  parents: string[];
  category: string;
  aliases?: string[];
}

const ANIMAL = 'Animals and Pets';
const FOOD = 'Food and Beverage';
const HOME = 'Home and Indoors';
const KITCHEN = 'Kitchen and Dining';
const VEHICLES = 'Vehicles and Automotive';
const TECH = 'Technology and Computing';
const SPORTS = 'Sports';
const OBJECTS = 'Everyday Objects';
const FURNITURE = 'Furniture and Furnishings';
const PEOPLE = 'Person Description';
const TRAVEL = 'Travel and Transportation';
const PLANTS = 'Plants and Flowers';
const ACCESSORIES = 'Apparel and Accessories';

/** Rekognition's names, parents and categories for each COCO class, as Rekognition's taxonomy has them. */
const TAXONOMY: Record<string, Taxon> = {
  person: { name: 'Person', parents: [], category: PEOPLE, aliases: ['Human'] },
  bicycle: { name: 'Bicycle', parents: ['Transportation', 'Vehicle'], category: VEHICLES, aliases: ['Bike'] },
  car: { name: 'Car', parents: ['Transportation', 'Vehicle'], category: VEHICLES, aliases: ['Automobile'] },
  motorcycle: { name: 'Motorcycle', parents: ['Transportation', 'Vehicle'], category: VEHICLES },
  airplane: {
    name: 'Airplane',
    parents: ['Aircraft', 'Transportation', 'Vehicle'],
    category: VEHICLES,
    aliases: ['Aeroplane'],
  },
  bus: { name: 'Bus', parents: ['Transportation', 'Vehicle'], category: VEHICLES },
  train: { name: 'Train', parents: ['Transportation', 'Vehicle'], category: VEHICLES },
  truck: { name: 'Truck', parents: ['Transportation', 'Vehicle'], category: VEHICLES },
  boat: { name: 'Boat', parents: ['Transportation', 'Vehicle', 'Watercraft'], category: VEHICLES },
  'traffic light': { name: 'Traffic Light', parents: ['Light'], category: TRAVEL },
  'fire hydrant': { name: 'Fire Hydrant', parents: ['Hydrant'], category: OBJECTS },
  'stop sign': { name: 'Stop Sign', parents: ['Road Sign', 'Sign', 'Symbol'], category: TRAVEL },
  'parking meter': { name: 'Parking Meter', parents: [], category: TRAVEL },
  bench: { name: 'Bench', parents: ['Furniture'], category: FURNITURE },
  bird: { name: 'Bird', parents: ['Animal'], category: ANIMAL },
  cat: { name: 'Cat', parents: ['Animal', 'Mammal', 'Pet'], category: ANIMAL },
  dog: { name: 'Dog', parents: ['Animal', 'Canine', 'Mammal', 'Pet'], category: ANIMAL },
  horse: { name: 'Horse', parents: ['Animal', 'Mammal'], category: ANIMAL },
  sheep: { name: 'Sheep', parents: ['Animal', 'Livestock', 'Mammal'], category: ANIMAL },
  cow: { name: 'Cow', parents: ['Animal', 'Cattle', 'Livestock', 'Mammal'], category: ANIMAL },
  elephant: { name: 'Elephant', parents: ['Animal', 'Mammal', 'Wildlife'], category: ANIMAL },
  bear: { name: 'Bear', parents: ['Animal', 'Mammal', 'Wildlife'], category: ANIMAL },
  zebra: { name: 'Zebra', parents: ['Animal', 'Mammal', 'Wildlife'], category: ANIMAL },
  giraffe: { name: 'Giraffe', parents: ['Animal', 'Mammal', 'Wildlife'], category: ANIMAL },
  backpack: { name: 'Backpack', parents: ['Bag'], category: ACCESSORIES },
  umbrella: { name: 'Umbrella', parents: [], category: ACCESSORIES },
  handbag: { name: 'Handbag', parents: ['Accessories', 'Bag'], category: ACCESSORIES, aliases: ['Purse'] },
  tie: { name: 'Tie', parents: ['Accessories', 'Formal Wear'], category: ACCESSORIES, aliases: ['Necktie'] },
  suitcase: { name: 'Suitcase', parents: ['Baggage'], category: TRAVEL, aliases: ['Luggage'] },
  frisbee: { name: 'Frisbee', parents: ['Toy'], category: SPORTS },
  skis: { name: 'Skiing', parents: ['Outdoors', 'Sport'], category: SPORTS },
  snowboard: { name: 'Snowboarding', parents: ['Outdoors', 'Sport'], category: SPORTS },
  'sports ball': { name: 'Ball', parents: ['Sport'], category: SPORTS },
  kite: { name: 'Kite', parents: ['Toy'], category: SPORTS },
  'baseball bat': { name: 'Baseball Bat', parents: ['Sport'], category: SPORTS },
  'baseball glove': { name: 'Baseball Glove', parents: ['Sport'], category: SPORTS },
  skateboard: { name: 'Skateboard', parents: ['Sport'], category: SPORTS },
  surfboard: { name: 'Surfboard', parents: ['Sport', 'Water Sports'], category: SPORTS },
  'tennis racket': { name: 'Racket', parents: ['Sport', 'Tennis'], category: SPORTS },
  bottle: { name: 'Bottle', parents: [], category: KITCHEN },
  'wine glass': {
    name: 'Glass',
    parents: ['Alcohol', 'Beverage', 'Wine'],
    category: FOOD,
    aliases: ['Goblet'],
  },
  cup: { name: 'Cup', parents: [], category: KITCHEN },
  fork: { name: 'Fork', parents: ['Cutlery'], category: KITCHEN },
  knife: { name: 'Knife', parents: ['Cutlery', 'Weapon'], category: KITCHEN },
  spoon: { name: 'Spoon', parents: ['Cutlery'], category: KITCHEN },
  bowl: { name: 'Bowl', parents: [], category: KITCHEN },
  banana: { name: 'Banana', parents: ['Food', 'Fruit', 'Plant', 'Produce'], category: FOOD },
  apple: { name: 'Apple', parents: ['Food', 'Fruit', 'Plant', 'Produce'], category: FOOD },
  sandwich: { name: 'Sandwich', parents: ['Food'], category: FOOD },
  orange: { name: 'Orange', parents: ['Citrus Fruit', 'Food', 'Fruit', 'Plant', 'Produce'], category: FOOD },
  broccoli: { name: 'Broccoli', parents: ['Food', 'Plant', 'Produce', 'Vegetable'], category: FOOD },
  carrot: { name: 'Carrot', parents: ['Food', 'Plant', 'Produce', 'Vegetable'], category: FOOD },
  'hot dog': { name: 'Hot Dog', parents: ['Food'], category: FOOD },
  pizza: { name: 'Pizza', parents: ['Food'], category: FOOD },
  donut: {
    name: 'Donut',
    parents: ['Dessert', 'Food', 'Pastry', 'Sweets'],
    category: FOOD,
    aliases: ['Doughnut'],
  },
  cake: { name: 'Cake', parents: ['Dessert', 'Food'], category: FOOD },
  chair: { name: 'Chair', parents: ['Furniture'], category: FURNITURE },
  couch: { name: 'Couch', parents: ['Furniture'], category: FURNITURE, aliases: ['Sofa'] },
  'potted plant': { name: 'Potted Plant', parents: ['Plant'], category: PLANTS },
  bed: { name: 'Bed', parents: ['Furniture'], category: FURNITURE },
  'dining table': { name: 'Dining Table', parents: ['Furniture', 'Table'], category: FURNITURE },
  toilet: { name: 'Toilet', parents: ['Indoors', 'Bathroom'], category: HOME },
  tv: { name: 'TV', parents: ['Electronics', 'Screen'], category: TECH, aliases: ['Television'] },
  laptop: { name: 'Laptop', parents: ['Computer', 'Electronics', 'Pc'], category: TECH },
  mouse: { name: 'Mouse', parents: ['Computer Hardware', 'Electronics', 'Hardware'], category: TECH },
  remote: { name: 'Remote Control', parents: ['Electronics'], category: TECH },
  keyboard: {
    name: 'Computer Keyboard',
    parents: ['Computer Hardware', 'Electronics', 'Hardware'],
    category: TECH,
  },
  'cell phone': {
    name: 'Mobile Phone',
    parents: ['Electronics', 'Phone'],
    category: TECH,
    aliases: ['Cell Phone'],
  },
  microwave: { name: 'Microwave', parents: ['Appliance', 'Oven'], category: KITCHEN },
  oven: { name: 'Oven', parents: ['Appliance'], category: KITCHEN },
  toaster: { name: 'Toaster', parents: ['Appliance'], category: KITCHEN },
  sink: { name: 'Sink', parents: ['Indoors'], category: HOME },
  refrigerator: { name: 'Refrigerator', parents: ['Appliance'], category: KITCHEN, aliases: ['Fridge'] },
  book: { name: 'Book', parents: ['Publication'], category: OBJECTS },
  clock: { name: 'Clock', parents: [], category: OBJECTS },
  vase: { name: 'Vase', parents: ['Jar', 'Pottery'], category: HOME },
  scissors: { name: 'Scissors', parents: [], category: OBJECTS },
  'teddy bear': { name: 'Teddy Bear', parents: ['Toy'], category: OBJECTS },
  'hair drier': { name: 'Blow Dryer', parents: ['Appliance'], category: OBJECTS, aliases: ['Hair Drier'] },
  toothbrush: { name: 'Toothbrush', parents: ['Tool'], category: OBJECTS },
};

/** Parents of the parents, so every ancestor label carries its own Parents as Rekognition's do. */
const ANCESTORS: Record<string, string[]> = {
  Canine: ['Animal', 'Mammal'],
  Mammal: ['Animal'],
  Pet: ['Animal'],
  Livestock: ['Animal'],
  Cattle: ['Animal', 'Livestock', 'Mammal'],
  Wildlife: ['Animal'],
  Aircraft: ['Transportation', 'Vehicle'],
  Vehicle: ['Transportation'],
  Watercraft: ['Transportation', 'Vehicle'],
  Fruit: ['Food', 'Plant', 'Produce'],
  'Citrus Fruit': ['Food', 'Fruit', 'Plant', 'Produce'],
  Vegetable: ['Food', 'Plant', 'Produce'],
  Produce: ['Food'],
  Dessert: ['Food'],
  Pastry: ['Dessert', 'Food'],
  Sweets: ['Food'],
  Wine: ['Alcohol', 'Beverage'],
  Alcohol: ['Beverage'],
  Computer: ['Electronics'],
  Pc: ['Computer', 'Electronics'],
  'Computer Hardware': ['Electronics', 'Hardware'],
  Screen: ['Electronics'],
  Phone: ['Electronics'],
  'Road Sign': ['Sign', 'Symbol'],
  Sign: ['Symbol'],
  'Water Sports': ['Sport'],
  Tennis: ['Sport'],
  Cutlery: [],
  Oven: ['Appliance'],
};

/**
 * CenterNet's scores are heatmap peaks, lower than a classifier's probabilities: human's own threshold is
 * 0.2 and a clear, whole object scores 0.5–0.6. This monotone map puts that threshold at 50 and a clear
 * object at 90 and above, so MinConfidence reads as it does against Rekognition.
 */
const CALIBRATION: readonly [number, number][] = [
  [0, 0],
  [0.2, 50],
  [0.5, 90],
  [1, 100],
];

/** A detector score (0–1) as a Rekognition confidence (0–100). */
export function calibratedConfidence(score: number): number {
  const s = Math.min(1, Math.max(0, score));
  for (let i = 1; i < CALIBRATION.length; i += 1) {
    const [x1, y1] = CALIBRATION[i] as [number, number];
    const [x0, y0] = CALIBRATION[i - 1] as [number, number];
    if (s <= x1) return y0 + ((s - x0) / (x1 - x0)) * (y1 - y0);
  }
  return 100;
}

export interface RekognitionLabel {
  Name: string;
  Confidence: number;
  Instances: {
    BoundingBox: { Width: number; Height: number; Left: number; Top: number };
    Confidence: number;
  }[];
  Parents: { Name: string }[];
  Aliases: { Name: string }[];
  Categories: { Name: string }[];
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));

/**
 * DetectLabels' `Labels`: one label per detected class with every instance's bounding box, and one label
 * per ancestor (Animal, Pet...) as confident as its most confident descendant, without instances; most
 * confident first, then MinConfidence (default 55) and MaxLabels applied as Rekognition applies them.
 */
export function toRekognitionLabels(
  detections: Detection[],
  options: { maxLabels?: number; minConfidence?: number } = {},
): RekognitionLabel[] {
  const minConfidence = options.minConfidence ?? 55;
  const labels = new Map<string, RekognitionLabel>();
  const categoryOf = new Map<string, string>();
  const add = (
    name: string,
    confidence: number,
    parents: string[],
    category: string,
    aliases: string[] = [],
  ) => {
    const existing = labels.get(name);
    if (existing) {
      existing.Confidence = Math.max(existing.Confidence, confidence);
      return existing;
    }
    const label: RekognitionLabel = {
      Name: name,
      Confidence: confidence,
      Instances: [],
      Parents: [...parents].sort().map((p) => ({ Name: p })),
      Aliases: aliases.map((a) => ({ Name: a })),
      Categories: [{ Name: category }],
    };
    labels.set(name, label);
    categoryOf.set(name, category);
    return label;
  };
  for (const detection of detections) {
    const taxon = TAXONOMY[detection.label];
    if (!taxon) continue;
    const confidence = calibratedConfidence(detection.score);
    const label = add(taxon.name, confidence, taxon.parents, taxon.category, taxon.aliases);
    if (confidence >= minConfidence) {
      const left = clamp(detection.box.left);
      const top = clamp(detection.box.top);
      label.Instances.push({
        BoundingBox: {
          Width: clamp(detection.box.left + detection.box.width) - left,
          Height: clamp(detection.box.top + detection.box.height) - top,
          Left: left,
          Top: top,
        },
        Confidence: confidence,
      });
    }
    for (const parent of taxon.parents) add(parent, confidence, ANCESTORS[parent] ?? [], taxon.category);
  }
  const sorted = [...labels.values()]
    .filter((l) => l.Confidence >= minConfidence)
    .sort((a, b) => b.Confidence - a.Confidence || a.Name.localeCompare(b.Name));
  for (const label of sorted) label.Instances.sort((a, b) => b.Confidence - a.Confidence);
  return options.maxLabels === undefined ? sorted : sorted.slice(0, options.maxLabels);
}
